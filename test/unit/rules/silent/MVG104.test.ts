import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, applyFix, config, example, inStage, only, preferred, run } from './helpers';

const CODE = 'MVG104';

describe('MVG104 stack-factor-ignored', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'stack-factor-ignored');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires with no stack ops, and the fix sets stack_factor=1', () => {
    const text = config({ stages: { 0: { stack_factor: 2 } } });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '2');
    assert.ok(inStage(a, f.range, 0) && f.stage === 0);
    assert.equal(f.unnecessary, true);
    assert.match(f.message, /stack_factor=2 is ignored/);
    assert.match(f.message, /no stack ops/);
    // HAT builds the same network as with 1: the params are the seed's.
    assert.equal(a.network?.params, 2_310_744);
    const fixed = applyFix(text, preferred(f));
    assert.equal(fixed, config({ stages: { 0: { stack_factor: 1 } } }));
    assert.equal(only(fixed, CODE).length, 0);
  });

  it('fires with one stack op', () => {
    const text = config({ stages: { 4: { stack_ops: ['mixvarge_f2_gb16'], stack_factor: 4 } } });
    const [f] = only(text, CODE);
    assert.equal(at(text, f.range), '4');
    assert.equal(f.stage, 4);
    assert.match(f.message, /stack_factor=4 is ignored.*one stack op/);
  });

  it('offers no fix when the value is not a literal', () => {
    const text = config({ prelude: 'SF = 2', stages: { 0: { stack_factor: 'SF' } } });
    const [f] = only(text, CODE);
    assert.equal(at(text, f.range), 'SF');
    assert.equal(f.fixes, undefined);
  });

  it('reports a literal shared by several stages once, naming them, without a fix', () => {
    const text = [
      'from hat.models.backbones.mixvargenet import MixVarGENetConfig',
      'def st(cin, cout, head, stack, stride=2):',
      '    return [MixVarGENetConfig(in_channels=cin, out_channels=cout, head_op=head, stack_ops=stack, stack_factor=2, stride=stride)]',
      'net_config = [',
      '    st(32, 32, "mixvarge_f2", [], stride=1),',
      '    st(32, 32, "mixvarge_f4", ["mixvarge_f4"]),',
      '    st(32, 64, "mixvarge_f4", ["mixvarge_f4"] * 3),',
      ']',
      '',
    ].join('\n');
    const fs = only(text, CODE);
    assert.equal(fs.length, 1);
    assert.equal(at(text, fs[0].range), '2');
    assert.ok(text.slice(0, fs[0].range.start).endsWith('stack_factor='));
    assert.match(fs[0].message, /stages 0 and 1 have no stack ops or one stack op/);
    assert.equal(fs[0].fixes, undefined, 'stage 2 uses the same literal and honours it');
  });

  it('does not fire with two or more stack ops, factor 1, or unknown values', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(example('mixvargenet_fusion.py'), CODE).length, 0, 'stack_factor=2 with four stack ops is honoured');
    assert.equal(only(config({ stages: { 1: { stack_factor: 2 } } }), CODE).length, 0);
    assert.equal(only(config({ prelude: 'from x import SF', stages: { 0: { stack_factor: 'SF' } } }), CODE).length, 0);
    assert.equal(only(config({ prelude: 'from x import OPS', stages: { 0: { stack_factor: 2, stack_ops: 'OPS' } } }), CODE).length, 0);
  });
});
