import { strict as assert } from 'node:assert';
import { findings, makeConfig, none, one, under } from './helpers';

const CODE = 'MVG010';

describe('MVG010 channels-positive', () => {
  it('fires on a negative in_channels with the tensor error', () => {
    const text = makeConfig({ stages: { 2: { in_channels: '-32' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '-32');
    assert.equal(f.stage, 2);
    assert.match(f.message, /in_channels=-32 is negative.*negative dimension -32/);
  });

  it('fires on out_channels=0 and on False (read as 0)', () => {
    const text = makeConfig({ stages: { 1: { out_channels: '0' }, 3: { in_channels: 'False' } } });
    const fs = findings(text, CODE);
    assert.deepEqual(fs.map((f) => under(text, f)), ['0', 'False']);
    assert.match(fs[0].message, /out_channels=0 gives the stage's convs 0 channels/);
    assert.match(fs[1].message, /in_channels=False gives/);
  });

  it('fires on stack_factor <= 0 when two or more stack ops use it', () => {
    const text = makeConfig({ stages: { 2: { stack_factor: '0' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '0');
    assert.match(f.message, /stack_factor=0 makes the middle of the stack 0 channels wide \(0 × 64 = 0 channels\)/);
    const neg = makeConfig({ stages: { 2: { stack_factor: '-2' } } });
    assert.match(one(neg, CODE).message, /stack_factor=-2.*\(-2 × 64 = -128 channels\)/);
  });

  it('does not fire on positive widths, unused stack_factor, unknown values or the seed', () => {
    none(makeConfig(), CODE);
    // fewer than two stack ops: HAT never reads stack_factor
    none(makeConfig({ stages: { 0: { stack_factor: '0' }, 4: { stack_ops: '["mixvarge_f2_gb16"]', stack_factor: '-1' } } }), CODE);
    none(makeConfig({ preamble: 'from x import c', stages: { 2: { out_channels: 'c' }, 3: { in_channels: 'c' } } }), CODE);
    none(makeConfig({ preamble: 'from x import ops', stages: { 2: { stack_ops: 'ops', stack_factor: '0' } } }), CODE);
  });
});
