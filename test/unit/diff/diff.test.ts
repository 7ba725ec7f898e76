/**
 * The diff of two configs (core/diff). The expected deltas come from PyTorch: the seed's reference
 * (test/fixtures/expected/mixvargenet_imagenet.json) and an edited seed's
 * (test/fixtures/diff/seed_edited.json, written by `/usr/bin/python3 test/fixtures/torch/reference.py
 * test/fixtures/diff/seed_edited.py`), subtracted here; small cases by hand arithmetic of conv params.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffConfigs, formatDiffText, diffSummary, costDeltaText, findingIdentity } from '../../../extension/core/diff/index';
import { fmtDelta, fmtMsDelta } from '../../../extension/core/format';

const ROOT = path.resolve(__dirname, '../../../..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const SEED = read('examples/configs/mixvargenet_imagenet.py');
const EDITED = read('test/fixtures/diff/seed_edited.py');
interface Ref {
  params: number;
  macs: number;
  stages: { params: number; macs: number }[];
}
const refSeed = JSON.parse(read('test/fixtures/expected/mixvargenet_imagenet.json')) as Ref;
const refEdited = JSON.parse(read('test/fixtures/diff/seed_edited.json')) as Ref;

describe('diff of two configs (core/diff)', () => {
  it('the same text: every stage same, zero deltas, no findings came or went', () => {
    const d = diffConfigs(SEED, SEED);
    assert.equal(d.stages.length, 5);
    for (const s of d.stages) {
      assert.equal(s.status, 'same');
      assert.equal(s.params.delta, 0);
      assert.equal(s.macs.delta, 0);
      assert.deepEqual(s.changes, []);
      assert.equal(s.old, s.new);
    }
    assert.deepEqual(d.params, { old: refSeed.params, new: refSeed.params, delta: 0 });
    assert.deepEqual(d.macs, { old: refSeed.macs, new: refSeed.macs, delta: 0 });
    assert.deepEqual(d.findings, { new: [], fixed: [] });
  });

  it('the edited seed: totals and per-stage deltas as PyTorch counts them, the changed fields, an added stage', () => {
    const d = diffConfigs(SEED, EDITED, { old: { file: 'm.py', rev: 'HEAD' }, new: { file: 'm.py' } });
    assert.deepEqual(d.old, { file: 'm.py', rev: 'HEAD', params: refSeed.params, macs: refSeed.macs });
    assert.deepEqual(d.new, { file: 'm.py', rev: null, params: refEdited.params, macs: refEdited.macs });
    assert.deepEqual(d.params, { old: refSeed.params, new: refEdited.params, delta: refEdited.params - refSeed.params });
    assert.deepEqual(d.macs, { old: refSeed.macs, new: refEdited.macs, delta: refEdited.macs - refSeed.macs });
    assert.deepEqual(
      d.stages.map((s) => s.status),
      ['same', 'same', 'same', 'changed', 'changed', 'added'],
    );
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(d.stages[i].params, { old: refSeed.stages[i].params, new: refEdited.stages[i].params, delta: refEdited.stages[i].params - refSeed.stages[i].params }, `stage ${i} params`);
      assert.deepEqual(d.stages[i].macs, { old: refSeed.stages[i].macs, new: refEdited.stages[i].macs, delta: refEdited.stages[i].macs - refSeed.stages[i].macs }, `stage ${i} macs`);
    }
    assert.deepEqual(d.stages[5], {
      old: null,
      new: 5,
      status: 'added',
      params: { old: null, new: refEdited.stages[5].params, delta: refEdited.stages[5].params },
      macs: { old: null, new: refEdited.stages[5].macs, delta: refEdited.stages[5].macs },
      changes: [],
    });
    assert.deepEqual(d.stages[3].changes, [{ field: 'stack_ops', old: Array(6).fill('mixvarge_f2_gb16'), new: Array(4).fill('mixvarge_f2_gb16') }]);
    assert.deepEqual(d.stages[4].changes, [{ field: 'out_channels', old: 160, new: 192 }]);
  });

  it('the other way round: the stage is removed, its whole cost negative', () => {
    const d = diffConfigs(EDITED, SEED);
    assert.deepEqual(d.stages[5], {
      old: 5,
      new: null,
      status: 'removed',
      params: { old: refEdited.stages[5].params, new: null, delta: -refEdited.stages[5].params },
      macs: { old: refEdited.stages[5].macs, new: null, delta: -refEdited.stages[5].macs },
      changes: [],
    });
    assert.equal(d.params.delta, refSeed.params - refEdited.params);
  });

  it('a one-field edit by hand arithmetic: stage 0 head_op mixvarge_f2 → mixvarge_f4 (32→32 wide at 112×112)', () => {
    const edited = SEED.replace('head_op="mixvarge_f2", stack_ops=[]', 'head_op="mixvarge_f4", stack_ops=[]');
    const d = diffConfigs(SEED, edited);
    // conv1 3x3 32→mid (bias) + BN(mid), conv2 1x1 mid→32 (bias) + BN(32); no shortcut conv (stride 1, same width).
    const block = (mid: number) => 9 * 32 * mid + mid + 2 * mid + mid * 32 + 32 + 2 * 32;
    const macs = (mid: number) => 112 * 112 * (9 * 32 * mid + mid * 32);
    assert.equal(d.stages[0].status, 'changed');
    assert.deepEqual(d.stages[0].changes, [{ field: 'head_op', old: 'mixvarge_f2', new: 'mixvarge_f4' }]);
    assert.equal(d.stages[0].params.delta, block(128) - block(64));
    assert.equal(d.stages[0].macs.delta, macs(128) - macs(64));
    assert.equal(d.params.delta, block(128) - block(64));
    assert.ok(d.stages.slice(1).every((s) => s.status === 'same'));
  });

  it('an unknown value: the stage cost and every delta that needs it are null, not guessed', () => {
    const edited = SEED.replace('in_channels=96, out_channels=160', 'in_channels=96, out_channels=int(os.environ["W"])');
    const d = diffConfigs(SEED, edited);
    const s4 = d.stages[4];
    assert.equal(s4.status, 'changed');
    assert.equal(s4.params.old, refSeed.stages[4].params);
    assert.equal(s4.params.new, null);
    assert.equal(s4.params.delta, null);
    assert.equal(s4.macs.delta, null);
    assert.deepEqual(s4.changes, [{ field: 'out_channels', old: 160, new: null }]);
    assert.equal(d.params.new, null);
    assert.equal(d.params.delta, null);
    assert.equal(d.macs.delta, null);
    assert.match(formatDiffText(d), /params: 2,310,744 → \? \(\?\)/);
  });

  it('findings: a new error is new, the way back it is fixed; moving it to another line is neither', () => {
    // 56 channels do not split into groups of 16 (mixvarge_f2_gb16): an error at stage 3.
    const broken = SEED.replace('in_channels=64, out_channels=96', 'in_channels=64, out_channels=56');
    const d = diffConfigs(SEED, broken);
    assert.ok(d.findings.new.some((f) => f.code === 'MVG003' && f.stage === 3 && f.severity === 'error'), JSON.stringify(d.findings.new));
    assert.deepEqual(d.findings.fixed, []);
    const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    const mvg003 = d.findings.new.find((f) => f.code === 'MVG003')!;
    assert.equal(mvg003.line, lineOf(broken, 'out_channels=56'));
    const back = diffConfigs(broken, SEED);
    assert.deepEqual(back.findings.new, []);
    assert.deepEqual(
      back.findings.fixed.map((f) => f.code).sort(),
      d.findings.new.map((f) => f.code).sort(),
    );
    const moved = '# a comment\n# another\n\n' + broken;
    const m = diffConfigs(broken, moved);
    assert.deepEqual(m.findings, { new: [], fixed: [] });
    assert.ok(m.stages.every((s) => s.status === 'same'));
  });

  it('a finding identity ignores where it is, not what it says', () => {
    assert.equal(findingIdentity({ code: 'MVG003', message: 'a  b (line 3)' }), findingIdentity({ code: 'MVG003', message: 'a b (line 9)' }));
    assert.notEqual(findingIdentity({ code: 'MVG003', message: 'a b' }), findingIdentity({ code: 'MVG002', message: 'a b' }));
    assert.notEqual(findingIdentity({ code: 'MVG003', message: '56 channels' }), findingIdentity({ code: 'MVG003', message: '57 channels' }));
  });

  it('no network on either side: no stages, unknown totals', () => {
    const d = diffConfigs('x = 1\n', 'y = 2\n');
    assert.deepEqual(d.stages, []);
    assert.deepEqual(d.params, { old: null, new: null, delta: null });
    assert.match(formatDiffText(d), /no stages on either side/);
  });

  it('the text: one row per stage with the signed deltas, the changes and the findings; colour only when asked', () => {
    const d = diffConfigs(SEED, EDITED, { old: { file: 'm.py', rev: 'HEAD' }, new: { file: 'm.py' } });
    const text = formatDiffText(d);
    const lines = text.split('\n');
    assert.equal(lines[0], 'old: HEAD:m.py');
    assert.equal(lines[1], 'new: m.py');
    assert.equal(lines[2], `params: 2,310,744 → 3,062,104 (+751K)`);
    const row = (i: string) => lines.find((l) => l.startsWith(`${i} `))!;
    assert.match(row('4'), /~ changed .* out_channels 160 → 192$/);
    assert.match(row('5'), /\+ added +– +739K +\+739K /);
    assert.match(row('0'), /same/);
    assert.doesNotMatch(text, /\x1b\[/);
    const green = (s: string) => `<g>${s}</g>`;
    const red = (s: string) => `<r>${s}</r>`;
    const id = (s: string) => s;
    const coloured = formatDiffText(diffConfigs(EDITED, SEED), { bold: id, dim: id, red, yellow: id, blue: id, cyan: id, green });
    assert.match(coloured, /<r>−739K<\/r>/);
    // Stage 3 has fewer blocks in EDITED: back to the seed adds 319,488 − 225,600 = 93,888 params (PyTorch's counts).
    assert.equal(refSeed.stages[3].params - refEdited.stages[3].params, 93_888);
    assert.match(coloured, /<g>\+93\.9K<\/g>/);
    assert.match(coloured, /stack_ops \["mixvarge_f2_gb16"\] \* 4 → \["mixvarge_f2_gb16"\] \* 6/);
    assert.match(formatDiffText(diffConfigs(SEED, SEED.replace('stack_ops=["mixvarge_f4", "mixvarge_f4"], stack_factor=1, stride=2,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 4', 'stack_ops=["mixvarge_f4", "mixvarge_f2"], stack_factor=1, stride=2,\n                       fusion_strides=[], extra_downsample_num=0)],                              # stride 4'))), /stack_ops \["mixvarge_f4", "mixvarge_f4"\] → \["mixvarge_f4", "mixvarge_f2"\]/);
  });

  it('the summaries: signed compact deltas with the share of the old total', () => {
    const d = diffConfigs(SEED, EDITED);
    const pct = ((100 * (refEdited.params - refSeed.params)) / refSeed.params).toFixed(1);
    assert.equal(diffSummary(d).split(' · ')[0], `+751K params (+${pct}%)`);
    assert.match(diffSummary(d), /2 stages changed, 1 added/);
    assert.equal(diffSummary(diffConfigs(SEED, SEED)), '±0 params (+0.0%) · ±0 MACs (+0.0%) · no stage changed');
    assert.equal(costDeltaText(d.stages[5].params, d.stages[5].macs), '+739K params · +36.1M MACs');
    assert.equal(fmtDelta(120_000), '+120K');
    assert.equal(fmtDelta(-35_000_000), '−35M');
    assert.equal(fmtDelta(0), '±0');
    assert.equal(fmtDelta(null), '?');
    assert.equal(fmtMsDelta(-0.5), '−0.50 ms');
    assert.equal(fmtMsDelta(12.34), '+12.3 ms');
  });
});
