import { strict as assert } from 'node:assert';
import { applyFix, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG001';

describe('MVG001 unknown-op', () => {
  it('leads with the unknown op and the name it was meant to be, then says what HAT does', () => {
    const text = makeConfig({ stages: { 4: { stack_ops: '["mixvarge_f2_gb16", "mixvarge_f2_bg16"]' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '"mixvarge_f2_bg16"');
    assert.equal(f.message, `Unknown op "mixvarge_f2_bg16" in stack_ops: did you mean "mixvarge_f2_gb16"? HAT's BLOCK_CONFIG has no such key: building the model raises KeyError: 'mixvarge_f2_bg16'.`);
    assert.equal(preferredFix(f).title, 'Change to "mixvarge_f2_gb16"');
    none(applyFix(text, preferredFix(f)), CODE);
  });

  it('has no "did you mean" and no fix when no op name is close', () => {
    const text = makeConfig({ stages: { 2: { head_op: '"resnet_bottleneck_block"' } } });
    const f = one(text, CODE);
    assert.equal(f.message, `Unknown op "resnet_bottleneck_block" in head_op. HAT's BLOCK_CONFIG has no such key: building the model raises KeyError: 'resnet_bottleneck_block'.`);
    assert.equal(f.fixes, undefined);
  });

  it('does not fire on known ops', () => {
    none(makeConfig(), CODE);
  });
});
