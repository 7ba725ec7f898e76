import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { DEFAULT_OPS } from '../../../../extension/core/schema';
import { at, applyFix, config, example, inStage, only, q, run } from './helpers';

const CODE = 'MVG107';

describe('MVG107 non-j5-op', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'non-j5-op');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires on mixvarge_f1 when march is BAYES, naming the KeyError and J5 ops of the same kind', () => {
    const text = config({ stages: { 1: { head_op: q('mixvarge_f1') } } });
    const a = run(text);
    assert.equal(a.target, 'J5');
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '"mixvarge_f1"');
    assert.ok(inStage(a, f.range, 1) && f.stage === 1);
    assert.match(f.message, /^"mixvarge_f1" is not a J5 op \(head_op, stage 1\)\. The J5 toolkit's BLOCK_CONFIG has no such key/);
    assert.match(f.message, /the J5-era HAT raises KeyError: 'mixvarge_f1'/);
    assert.match(f.message, /J5 ops of the same kind: "mixvarge_f2", "mixvarge_f2_r" and "mixvarge_f4"/);
    assert.equal(f.fixes, undefined, 'no J5 op deploys the same block');
  });

  it('suggests group ops for group ops, and swaps a repmixvarge op for its J5 twin', () => {
    const text = config({ stages: { 3: { stack_ops: '["repmixvarge_f2_gb16"] * 6' } } });
    const fs = only(text, CODE);
    assert.equal(fs.length, 1, 'one finding for the repeated literal');
    const f = fs[0];
    assert.equal(at(text, f.range), '"repmixvarge_f2_gb16"');
    assert.match(f.message, /^"repmixvarge_f2_gb16" is not a J5 op \(stack_ops, stage 3\)\./);
    assert.match(f.message, /"mixvarge_f2_gb16", "mixvarge_f2_r_gb16" and "mixvarge_f4_gb16"/);
    const fix = f.fixes?.[0];
    assert.ok(fix && !fix.preferred);
    const fixed = applyFix(text, fix);
    assert.equal(fixed, config());
    assert.equal(run(fixed).network?.params, 2_310_744);
  });

  it('fires when the target is J5 by setting, not when the file says J6', () => {
    const noMarch = config({ march: null, stages: { 0: { head_op: q('mixvarge_f1_gb16') } } });
    assert.equal(only(noMarch, CODE, { target: 'J5' }).length, 1);
    assert.equal(only(noMarch, CODE, { target: 'J6' }).length, 0);
    const j6 = config({ march: 'March.NASH_E', stages: { 0: { head_op: q('mixvarge_f1_gb16') } } });
    assert.equal(only(j6, CODE).length, 0);
  });

  it('skips user ops without a j5 flag and checks those that say j5: false', () => {
    const text = config({ stages: { 1: { head_op: q('team_f2') } } });
    const spec = { conv2_kernel_size: 1, padding: 0, factor: 2 };
    assert.equal(only(text, CODE, { ops: DEFAULT_OPS.extend({ ops: { team_f2: spec } }, 'team.json') }).length, 0);
    const [f] = only(text, CODE, { ops: DEFAULT_OPS.extend({ ops: { team_f2: { ...spec, j5: false } } }, 'team.json') });
    assert.ok(f);
    assert.match(f.message, /"team_f2"/);
  });

  it('does not fire on J5 ops, unknown ops (MVG001) or unknown values', () => {
    assert.equal(only(config(), CODE).length, 0);
    for (const name of ['mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py'])
      assert.equal(only(example(name), CODE).length, 0, name);
    assert.equal(only(config({ stages: { 1: { head_op: q('mixvarge_f3') } } }), CODE).length, 0);
    assert.equal(only(config({ prelude: 'from x import OP', stages: { 1: { head_op: 'OP' } } }), CODE).length, 0);
  });
});
