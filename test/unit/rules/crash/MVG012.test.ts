import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, one, preferredFix, SEED_STAGES, stageCall, under } from './helpers';

const CODE = 'MVG012';

describe('MVG012 unknown-field', () => {
  it('fires on a misspelt keyword and renames it to the nearest field', () => {
    const text = makeConfig({ stages: { 0: { stack_factor: null } }, extraArgs: { 0: 'stack_factr=1' } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'stack_factr');
    assert.equal(f.stage, 0);
    assert.match(f.message, /^Unknown field "stack_factr": did you mean stack_factor\? MixVarGENetConfig has no such field: .*unexpected keyword argument 'stack_factr'/);
    const fixed = applyFix(text, preferredFix(f));
    assert.ok(fixed.includes('extra_downsample_num=0, stack_factor=1)'));
    none(fixed, CODE);
    none(fixed, 'MVG013');
  });

  it('does not offer a rename onto a field that is already given', () => {
    const text = makeConfig({ extraArgs: { 1: 'in_channel=32' } });
    const f = one(text, CODE);
    assert.match(f.message, /in_channels is already given/);
    assert.equal(f.fixes, undefined);
  });

  it('fires on a misspelt key inside **dict(...) and keeps its quotes', () => {
    const text = makeConfig({ stages: { 2: { stride: null } }, extraArgs: { 2: '**{"strid": 2}' } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '"strid"');
    assert.ok(applyFix(text, preferredFix(f)).includes('**{"stride": 2}'));
  });

  it('fires on a field given positionally and by keyword, and on a keyword given twice', () => {
    const positional = makeConfig({ items: { 1: '[MixVarGENetConfig(32, 32, "mixvarge_f4", [], 2, in_channels=32)]' } });
    const f = one(positional, CODE);
    assert.equal(under(positional, f), 'in_channels');
    assert.match(f.message, /got multiple values for argument 'in_channels'/);
    const twice = makeConfig({ extraArgs: { 3: 'stride=2' } });
    const g = one(twice, CODE);
    assert.equal(under(twice, g), 'stride');
    assert.ok(g.range.start > twice.indexOf('stride=2', twice.indexOf('in_channels=64')), 'the second stride');
    assert.match(g.message, /keyword argument repeated: stride/);
  });

  it('fires on too many positional arguments, over the extra ones', () => {
    const text = makeConfig({ items: { 1: '[MixVarGENetConfig(32, 32, "mixvarge_f4", [], 2, 1, [], 0, 5, 6)]' } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '5, 6');
    assert.match(f.message, /at most 8 positional arguments, but 10 are given.*takes from 6 to 9 positional arguments but 11 were given/);
  });

  it('checks configs outside net_config too (the import fails anyway)', () => {
    const text = makeConfig({ preamble: 'spare = MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[], stride=1, fusion_stride=[])' });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'fusion_stride');
    assert.equal(f.stage, undefined);
    assert.match(f.message, /^Unknown field "fusion_stride": did you mean fusion_strides\?/);
  });

  it('does not fire on the seed, positional configs, or keywords from an unknown **dict', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ items: { 1: `[MixVarGENetConfig(32, 32, "mixvarge_f4", ["mixvarge_f4", "mixvarge_f4"], 2, 1, [], 0)]` } }), CODE);
    none(makeConfig({ preamble: 'from x import extra', extraArgs: { 1: '**extra' } }), CODE);
    assert.deepEqual(findings(makeConfig({ items: { 1: `[${stageCall(SEED_STAGES[1])}]` } }), CODE), []);
  });
});
