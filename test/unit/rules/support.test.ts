import { strict as assert } from 'node:assert';
import { analyze } from '../../../extension/core/analyze';
import type { RuleContext } from '../../../extension/core/rules/types';
import { DEFAULT_OPS } from '../../../extension/core/schema';
import { configsToCheck, stageOf } from '../../../extension/core/rules/support/configs';
import { headlineFirst, joinAnd, joinOr } from '../../../extension/core/rules/support/wording';
import { groupFailures } from '../../../extension/core/rules/support/groups';
import { inputHW, inputSizeEdits } from '../../../extension/core/rules/support/input';
import { dedupeFindings } from '../../../extension/core/rules/support/findings';
import { applyEdits, insertBeforeClose, offsetBefore } from '../../../extension/core/rules/support/edits';

// extension/core/rules/support/: the helpers the rules share (the rule tests cover them through the rules).

function context(text: string): RuleContext {
  const a = analyze(text);
  const stageConfigs = a.extracted.netConfig?.stages.map((s) => s.configs[0]) ?? [];
  return { text, parsed: a.parsed, ev: a.ev, ex: a.extracted, net: a.network, ops: DEFAULT_OPS, target: a.target, stageConfigs };
}

const CFG = (c: number | string, stride = 2) => `MixVarGENetConfig(in_channels=${c}, out_channels=${c}, head_op="mixvarge_f2", stack_ops=[], stride=${stride})`;

// Stages 0 and 1: one call in a helper, evaluated twice. Stages 2 and 3: one evaluation reused by name.
const TEXT = `from hat.models.backbones.mixvargenet import MixVarGENetConfig

def mk(c):
    return ${CFG('c')}

shared = ${CFG(32)}
net_config = [[mk(32)], [mk(32)], [shared], [shared]]
other = ${CFG(8, 1)}
`;

describe('rules/support', () => {
  const ctx = context(TEXT);
  const line = (cfg: { call: { start: number } }) => TEXT.slice(0, cfg.call.start).split('\n').length;

  it('knows the stages of the example', () => {
    assert.equal(ctx.stageConfigs.length, 4);
    assert.deepEqual(ctx.stageConfigs.map((c) => c && line(c)), [4, 4, 6, 6]);
    assert.notEqual(ctx.stageConfigs[0]!.id, ctx.stageConfigs[1]!.id, 'the helper is evaluated per stage');
    assert.equal(ctx.stageConfigs[2]!.id, ctx.stageConfigs[3]!.id, 'a name reuses one evaluation');
  });

  it("configsToCheck 'stage': every stage, then the calls no stage comes from", () => {
    const got = configsToCheck(ctx, 'stage');
    assert.deepEqual(got.map((c) => c.stage), [0, 1, 2, 3, undefined]);
    assert.deepEqual(got.map((c) => line(c.cfg)), [4, 4, 6, 6, 8]);
  });

  it("configsToCheck 'evaluation': each evaluation once (the helper twice, the reused name once)", () => {
    const got = configsToCheck(ctx, 'evaluation');
    assert.deepEqual(got.map((c) => c.stage), [0, 1, 2, undefined]);
    assert.deepEqual(got.map((c) => line(c.cfg)), [4, 4, 6, 8]);
    assert.equal(new Set(got.map((c) => c.cfg.id)).size, got.length);
  });

  it("configsToCheck 'call': each call written once, with the first stage it builds", () => {
    const got = configsToCheck(ctx, 'call');
    assert.deepEqual(got.map((c) => c.stage), [0, 2, undefined]);
    assert.deepEqual(got.map((c) => line(c.cfg)), [4, 6, 8]);
  });

  it('stageOf: the stage holding this value, else the first holding the same evaluation', () => {
    assert.equal(stageOf(ctx, ctx.stageConfigs[3]!), 3);
    assert.equal(stageOf(ctx, ctx.stageConfigs[1]!), 1);
    // `shared` as evaluated (the stages hold copies made where the name is read).
    const original = ctx.ex.configs.find((c) => c.id === ctx.stageConfigs[2]!.id)!;
    assert.ok(!ctx.stageConfigs.includes(original));
    assert.equal(stageOf(ctx, original), 2);
    assert.equal(stageOf(ctx, ctx.ex.configs.find((c) => line(c) === 8)!), undefined);
  });

  it('insertBeforeClose appends an argument, after a trailing comma, before a comment', () => {
    const apply = (text: string, snippet: string) => {
      const e = insertBeforeClose(text, { start: text.indexOf('('), end: text.lastIndexOf(')') + 1 }, snippet);
      return text.slice(0, e.range.start) + e.newText + text.slice(e.range.end);
    };
    assert.equal(apply('f()', 'a=1'), 'f(a=1)');
    assert.equal(apply('f(x=0)', 'a=1'), 'f(x=0, a=1)');
    assert.equal(apply('f(x=0,\n)', 'a=1'), 'f(x=0, a=1\n)');
    assert.equal(apply('f(x=0  # why\n)', 'a=1'), 'f(x=0, a=1  # why\n)');
    assert.equal(apply('f(x="#"  # why\n)', 'a=1'), 'f(x="#", a=1  # why\n)');
  });

  it('joinAnd and dedupeFindings', () => {
    assert.equal(joinAnd([]), '');
    assert.equal(joinAnd(['a']), 'a');
    assert.equal(joinAnd(['a', 'b', 'c']), 'a, b and c');
    const f = { code: 'MVG999', severity: 'warning' as const, message: 'm', range: { start: 1, end: 2 } };
    assert.deepEqual(dedupeFindings([f, { ...f, stage: 3 }, { ...f, message: 'n' }]).map((x) => x.message), ['m', 'n']);
  });

  it('joinOr and headlineFirst', () => {
    assert.equal(joinOr(['48']), '48');
    assert.equal(joinOr(['48', '64', '96']), '48, 64 or 96');
    assert.equal(headlineFirst('Unknown op "x"', 'HAT raises.'), 'Unknown op "x". HAT raises.');
    assert.equal(headlineFirst('Unknown op "x": did you mean "y"?', 'HAT raises.'), 'Unknown op "x": did you mean "y"? HAT raises.');
  });

  it('applyEdits and offsetBefore: edits in original offsets, offsets of the result mapped back', () => {
    const edits = [
      { range: { start: 2, end: 4 }, newText: 'WXYZ' },
      { range: { start: 8, end: 9 }, newText: '' },
    ];
    assert.equal(applyEdits('0123456789', edits), '01WXYZ4567' + '9');
    // 0,1 unchanged; 2..5 inside the first replacement → 2; 6 is old 4; the deletion shifts 9 to 8 back by 1.
    assert.deepEqual([0, 1, 2, 5, 6, 9, 10].map((o) => offsetBefore(edits, o)), [0, 1, 2, 2, 4, 7, 9]);
  });

  it('groupFailures: the group convs nn.Conv2d refuses in one block', () => {
    const spec = (name: string) => DEFAULT_OPS.get(name)!;
    // f2_gb16 at 56 → 112: conv1 int(56/16) = 3 groups, 56 % 3 = 2.
    assert.deepEqual(groupFailures(spec('mixvarge_f2_gb16'), 56, 56), [{ conv: 'conv1', cin: 56, cout: 112, base: 16, source: 56, groups: 3, which: 'in', failing: 56 }]);
    assert.deepEqual(groupFailures(spec('mixvarge_f2_gb16'), 48, 48), []);
    // 8 channels: 0 groups.
    assert.equal(groupFailures(spec('mixvarge_f2_gb16'), 8, 8)[0].which, 'zero');
    // k3k3_f2_gb16 64 → 80: mid 128, conv2 int(80/16) = 5 groups, 128 % 5 = 3.
    assert.deepEqual(groupFailures(spec('mixvarge_k3k3_f2_gb16'), 64, 80), [{ conv: 'conv2', cin: 128, cout: 80, base: 16, source: 80, groups: 5, which: 'in', failing: 128 }]);
    // plain ops and widths that are not positive ints: nothing to say
    assert.deepEqual(groupFailures(spec('mixvarge_f2'), 56, 56), []);
    assert.deepEqual(groupFailures(spec('mixvarge_f2_gb16'), 0, 56), []);
  });

  it('inputHW and inputSizeEdits: H and W of deploy_inputs, rewritten only when written as numbers', () => {
    const text = `import torch\n${TEXT}deploy_inputs = dict(img=torch.randn((1, 3, 128, 96)))\n`;
    const ctx = context(text);
    const hw = inputHW(ctx)!;
    assert.deepEqual([text.slice(hw.h.r.start, hw.h.r.end), text.slice(hw.w.r.start, hw.w.r.end)], ['128', '96']);
    assert.ok(applyEdits(text, inputSizeEdits(ctx, 224, 224)!).endsWith('torch.randn((1, 3, 224, 224)))\n'));
    const named = context(`import torch\n${TEXT}S = 128\ndeploy_inputs = dict(img=torch.randn((1, 3, S, S)))\n`);
    assert.equal(inputSizeEdits(named, 224, 224), undefined);
    assert.equal(inputHW(context(TEXT)), undefined, 'no input written');
  });
});
