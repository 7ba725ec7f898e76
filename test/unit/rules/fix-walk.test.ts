// Clicking quick fixes as a user would: the first error's preferred fix, again and again, must end
// in a config without errors — on examples/configs/mistakes.py and on generated broken configs.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../extension/core/analyze';
import type { Finding, Fix } from '../../../extension/core/rules/types';
import { applyFix, example, makeConfig, type StageFields } from './crash/helpers';

const errorsOf = (text: string): Finding[] => analyze(text).findings.filter((f) => f.severity === 'error');
const preferredOf = (f: Finding): Fix | undefined => f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0];

/** Apply the first fixable error's preferred fix until no error is left (or none has a fix); the titles applied and the text. */
function walk(start: string, maxSteps = 30): { text: string; steps: string[]; left: Finding[] } {
  let text = start;
  const steps: string[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const errs = errorsOf(text);
    const f = errs.find((e) => preferredOf(e));
    if (!f) return { text, steps, left: errs };
    const fix = preferredOf(f)!;
    steps.push(`${f.code}: ${fix.title}`);
    text = applyFix(text, fix);
  }
  return { text, steps, left: errorsOf(text) };
}

/** Errors by rule and stage, as a multiset: what a user would call "the same error". */
function errorKeys(text: string): string[] {
  return errorsOf(text).map((f) => `${f.code}|${f.stage ?? '-'}`);
}
function added(before: string[], after: string[]): string[] {
  const rest = [...before];
  return after.filter((k) => {
    const i = rest.indexOf(k);
    if (i < 0) return true;
    rest.splice(i, 1);
    return false;
  });
}

/** A small deterministic PRNG (mulberry32), so that every run tests the same configs. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed network with one to three mistakes whose cure is a value: widths (chain broken or not,
 * under gb16 ops or not), strides, extra_downsample_num, fusion_strides, stack_factor, misspelt
 * ops, ops whose group convs need other widths, the input size.
 */
function brokenVariant(seed: number): string {
  const r = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const stages: Record<number, StageFields> = {};
  const set = (i: number, f: keyof StageFields, v: string) => ((stages[i] ??= {})[f] = v);
  let deployInputs: string | undefined;
  const n = 1 + Math.floor(r() * 3);
  for (let m = 0; m < n; m++) {
    const i = Math.floor(r() * 5);
    switch (Math.floor(r() * 9)) {
      case 0: {
        const w = String(8 * (1 + Math.floor(r() * 24)) + pick([0, 0, 4, -4]));
        set(i, 'out_channels', w);
        if (r() < 0.6 && i < 4) set(i + 1, 'in_channels', w);
        break;
      }
      case 1:
        set(i, 'in_channels', pick(['0', '-32', '24', '40', '56', '72', '100', '128']));
        break;
      case 2:
        set(i, 'stride', pick(['0', '3', '4', '-1']));
        break;
      case 3:
        set(i, 'extra_downsample_num', pick(['-1', '4', '5', '1', '2']));
        break;
      case 4:
        if (i > 0) set(i, 'fusion_strides', pick(['[4]', '[8, 4]', '[0]', '[128]', '[4, 8]', '[2]']));
        break;
      case 5:
        set(i, 'stack_factor', pick(['0', '-1', '2', '3']));
        break;
      case 6:
        set(i, 'head_op', pick(['"mixvarge_f2_bg16"', '"mixvarge_f4_gb16"', '"mixvarge_k3k3_f2_gb16"', '"mixvarge_f1_gb16"']));
        break;
      case 7:
        set(i, 'stack_ops', pick(['["mixvarge_f2_gb16"] * 3', '["mixvarge_f4", "mixvarg_f4"]', '["mixvarge_k3k3_f2_gb16", "mixvarge_f2_gb16"]']));
        break;
      case 8: {
        const s = () => pick([96, 128, 160]);
        deployInputs = `dict(img=torch.randn((1, 3, ${s()}, ${s()})))`;
        break;
      }
    }
  }
  return makeConfig({ stages, deployInputs });
}

describe('preferred quick fixes, applied one at a time, reach a config without errors', () => {
  it('examples/configs/mistakes.py: four clicks, no error left, none swapped for another', () => {
    const start = example('mistakes.py');
    assert.deepEqual(errorsOf(start).map((f) => f.code), ['MVG012', 'MVG003', 'MVG006', 'MVG002', 'MVG001'], 'the mistakes the file describes, one finding each');
    const { text, steps, left } = walk(start);
    assert.deepEqual(left, []);
    // By hand: the misspelt field; out_channels=56 → 96, the width stage 4 already takes (6 groups of 16,
    // mends MVG002 too); fusion_strides in the order the maps arrive (stage 1's 4x, then stage 2's 2x);
    // the misspelt op.
    assert.deepEqual(steps, [
      'MVG012: Rename to stack_factor',
      'MVG003: Set stage 3 out_channels to 96',
      'MVG006: Set fusion_strides to [4, 8] (the maps in the order they arrive)',
      'MVG001: Change to "mixvarge_f2_gb16"',
    ]);
    const expected = start
      .replace('stack_factr=1', 'stack_factor=1')
      .replace('in_channels=64, out_channels=56', 'in_channels=64, out_channels=96')
      .replace('fusion_strides=[8, 4]', 'fusion_strides=[4, 8]')
      .replace('"mixvarge_f2_bg16"]', '"mixvarge_f2_gb16"]');
    assert.equal(text, expected);
  });

  it('mistakes.py after the other MVG002 fix (in_channels=56): the MVG003 that appears offers widths, and the walk still ends clean', () => {
    const start = example('mistakes.py').replace('[MixVarGENetConfig(in_channels=96, out_channels=160', '[MixVarGENetConfig(in_channels=56, out_channels=160');
    const mvg003 = errorsOf(start).filter((f) => f.code === 'MVG003');
    assert.equal(mvg003.length, 1, 'one cause (the width 56 of stages 3 and 4), one finding');
    assert.match(mvg003[0].message, /48 or 64 would work/);
    const { left, steps } = walk(start);
    assert.deepEqual(left, []);
    assert.ok(steps.includes('MVG003: Set stage 3 out_channels and stage 4 in_channels to 48'), steps.join('\n'));
  });

  it('mistakes.py: "fix all" (every preferred fix at once, overlapping ones once) leaves no error', () => {
    let text = example('mistakes.py');
    const taken: { start: number; end: number }[] = [];
    const edits: Fix['edits'] = [];
    for (const f of analyze(text).findings) {
      const fix = f.fixes?.find((x) => x.preferred) ?? (f.fixes?.length === 1 ? f.fixes[0] : undefined);
      if (!fix || fix.edits.some((e) => taken.some((t) => e.range.start < t.end && t.start < e.range.end) || taken.some((t) => t.start === e.range.start && t.end === e.range.end))) continue;
      for (const e of fix.edits) taken.push(e.range);
      edits.push(...fix.edits);
    }
    text = applyFix(text, { title: 'all', edits });
    assert.deepEqual(errorsOf(text).map((f) => f.message), []);
  });

  it('150 generated broken configs: each walk ends without errors, and no preferred fix adds an error another choice would not', function () {
    this.timeout(120_000);
    let broken = 0;
    let clicks = 0;
    const seen = new Set<string>();
    for (let seed = 1; seed <= 150; seed++) {
      const start = brokenVariant(seed);
      let text = start;
      if (errorsOf(text).length) broken++;
      for (let step = 0; step < 30; step++) {
        const errs = errorsOf(text);
        if (errs.length === 0) break;
        const f = errs.find((e) => preferredOf(e));
        assert.ok(f, `seed ${seed}: an error without a fix:\n${errs.map((e) => `${e.code} ${e.message}`).join('\n')}\n${text}`);
        seen.add(f.code);
        const before = errorKeys(text);
        const newOf = (fix: Fix) => added(before, errorKeys(applyFix(text, fix)));
        const pref = preferredOf(f)!;
        const prefNew = newOf(pref);
        if (prefNew.length > 0)
          for (const other of f.fixes!.filter((x) => x !== pref))
            assert.notDeepEqual(newOf(other), [], `seed ${seed}: "${pref.title}" adds ${prefNew.join(', ')} where "${other.title}" adds nothing`);
        text = applyFix(text, pref);
        clicks++;
      }
      assert.deepEqual(errorsOf(text).map((e) => `${e.code} ${e.message}`), [], `seed ${seed} ends clean\n${start}`);
    }
    // The generator really breaks configs, in many ways (a walk that never starts proves nothing).
    assert.ok(broken >= 110, `${broken} of 150 configs had errors`);
    assert.ok(clicks >= broken, `${clicks} fixes applied`);
    for (const code of ['MVG001', 'MVG002', 'MVG003', 'MVG004', 'MVG005', 'MVG006', 'MVG009', 'MVG010', 'MVG015']) assert.ok(seen.has(code), `some walk fixed a ${code}`);
  });
});
