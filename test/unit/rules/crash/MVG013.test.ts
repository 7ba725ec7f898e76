import { strict as assert } from 'node:assert';
import { applyFix, findings, lineAt, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG013';

describe('MVG013 missing-field', () => {
  it('fires on a missing stride and inserts stride=2', () => {
    const text = makeConfig({ stages: { 2: { stride: null } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'MixVarGENetConfig');
    assert.equal(f.stage, 2);
    assert.match(f.message, /^MixVarGENetConfig is missing stride\. .*missing 1 required positional argument: 'stride'/);
    const fixed = applyFix(text, preferredFix(f));
    assert.match(lineAt(fixed, f.range.start), /fusion_strides=\[\], extra_downsample_num=0, stride=2\)\]/);
    none(fixed, CODE);
  });

  it('inserts stride=1 for stage 0 and chains in_channels from the previous stage', () => {
    const text = makeConfig({ stages: { 0: { stride: null }, 3: { in_channels: null } } });
    const fs = findings(text, CODE);
    assert.equal(fs.length, 2);
    assert.match(applyFix(text, preferredFix(fs[0])), /extra_downsample_num=0, stride=1\)\]/);
    const fixed = applyFix(text, preferredFix(fs[1]));
    assert.match(lineAt(fixed, fs[1].range.start), /extra_downsample_num=0, in_channels=64\)\]/);
    none(fixed, 'MVG002');
  });

  it('lists several missing fields as Python does and inserts them all', () => {
    const text = makeConfig({ stages: { 1: { head_op: null, stack_ops: null, stride: null } } });
    const f = one(text, CODE);
    assert.match(f.message, /^MixVarGENetConfig is missing head_op, stack_ops and stride\. .*missing 3 required positional arguments: 'head_op', 'stack_ops', and 'stride'/);
    assert.match(applyFix(text, preferredFix(f)), /extra_downsample_num=0, head_op="mixvarge_f2", stack_ops=\[\], stride=2\)\]/);
  });

  it('inserts after a trailing comma and before a trailing comment', () => {
    const text = makeConfig().replace('head_op="mixvarge_f2", stack_ops=[], stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)', 'head_op="mixvarge_f2", stack_ops=[],  # no stack\n    )');
    const f = one(text, CODE);
    const fixed = applyFix(text, preferredFix(f));
    assert.ok(fixed.includes('stack_ops=[], stride=1  # no stack\n    )'), fixed);
  });

  it('does not fire on the seed, positional fields, **kwargs that cannot be known, or a misspelt field (MVG012)', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ items: { 1: '[MixVarGENetConfig(32, 32, "mixvarge_f4", ["mixvarge_f4", "mixvarge_f4"], 2)]' } }), CODE);
    none(makeConfig({ preamble: 'from x import extra', stages: { 2: { stride: null } }, extraArgs: { 2: '**extra' } }), CODE);
    none(makeConfig({ stages: { 2: { stride: null } }, extraArgs: { 2: '**dict(stride=2)' } }), CODE);
    none(makeConfig({ stages: { 2: { stride: null } }, extraArgs: { 2: 'strid=2' } }), CODE);
  });

  it('does not fire on a config cut short by a syntax error', () => {
    const text = makeConfig().replace('stack_ops=[], stack_factor=1, stride=1', 'stack_ops=[], )stack_factor=1, stride=1');
    assert.ok(findings(text, 'MVG000').length > 0);
    none(text, CODE);
  });
});
