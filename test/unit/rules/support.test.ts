import { strict as assert } from 'node:assert';
import { analyze } from '../../../extension/core/analyze';
import type { RuleContext } from '../../../extension/core/rules/types';
import { DEFAULT_OPS } from '../../../extension/core/schema';
import { configsToCheck, stageOf } from '../../../extension/core/rules/support/configs';
import { joinAnd } from '../../../extension/core/rules/support/wording';
import { dedupeFindings } from '../../../extension/core/rules/support/findings';
import { insertBeforeClose } from '../../../extension/core/rules/support/edits';

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
});
