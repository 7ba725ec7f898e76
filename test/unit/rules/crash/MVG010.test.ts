import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG010';

describe('MVG010 channels-positive', () => {
  it('fires on a negative in_channels with the tensor error', () => {
    const text = makeConfig({ stages: { 2: { in_channels: '-32' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '-32');
    assert.equal(f.stage, 2);
    assert.match(f.message, /^in_channels=-32 is negative\. .*negative dimension -32/);
    // Stage 1 outputs 32 (the chain), stage 2's own out_channels is 64.
    assert.deepEqual(f.fixes!.map((x) => [x.title, !!x.preferred]), [
      ["Set in_channels to 32 (stage 1's out_channels)", true],
      ["Set in_channels to 64 (this stage's out_channels)", false],
    ]);
    const fixed = applyFix(text, preferredFix(f));
    assert.equal(fixed, makeConfig());
  });

  it('fires on out_channels=0 and on False (read as 0)', () => {
    const text = makeConfig({ stages: { 1: { out_channels: '0' }, 3: { in_channels: 'False' } } });
    const fs = findings(text, CODE);
    assert.deepEqual(fs.map((f) => under(text, f)), ['0', 'False']);
    assert.match(fs[0].message, /^out_channels=0 gives no channels\. Group ops get 0 groups/);
    assert.match(fs[1].message, /in_channels=False gives/);
    // out_channels=0 of stage 1: stage 2 takes 32, and so does stage 1's own in_channels (one choice).
    assert.deepEqual(fs[0].fixes!.map((x) => x.title), ["Set out_channels to 32 (stage 2's in_channels)"]);
    // in_channels=False of stage 3: stage 2 outputs 64; stage 3's own out_channels is 96.
    assert.deepEqual(fs[1].fixes!.map((x) => x.title), ["Set in_channels to 64 (stage 2's out_channels)", "Set in_channels to 96 (this stage's out_channels)"]);
    let fixed = applyFix(text, preferredFix(fs[1]));
    fixed = applyFix(fixed, preferredFix(one(fixed, CODE)));
    assert.equal(fixed, makeConfig());
  });

  it('offers no fix for a width written once in a helper that builds several stages', () => {
    const text = makeConfig({ preamble: 'def mk(i):\n    return MixVarGENetConfig(in_channels=i, out_channels=0, head_op="mixvarge_f2", stack_ops=[], stride=2)\n', items: { 1: '[mk(32)]', 2: '[mk(32)]' } });
    const fs = findings(text, CODE);
    assert.equal(fs.length, 1, 'one literal, one finding');
    assert.equal(fs[0].fixes, undefined);
  });

  it('fires on stack_factor <= 0 when two or more stack ops use it', () => {
    const text = makeConfig({ stages: { 2: { stack_factor: '0' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '0');
    assert.match(f.message, /^stack_factor=0 gives no channels\. The middle of the stack is 0 × 64 = 0 channels wide/);
    const neg = makeConfig({ stages: { 2: { stack_factor: '-2' } } });
    assert.match(one(neg, CODE).message, /^stack_factor=-2 gives negative widths\. The middle of the stack is -2 × 64 = -128 channels wide/);
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Set stack_factor to 1']);
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
  });

  it('does not fire on positive widths, unused stack_factor, unknown values or the seed', () => {
    none(makeConfig(), CODE);
    // fewer than two stack ops: HAT never reads stack_factor
    none(makeConfig({ stages: { 0: { stack_factor: '0' }, 4: { stack_ops: '["mixvarge_f2_gb16"]', stack_factor: '-1' } } }), CODE);
    none(makeConfig({ preamble: 'from x import c', stages: { 2: { out_channels: 'c' }, 3: { in_channels: 'c' } } }), CODE);
    none(makeConfig({ preamble: 'from x import ops', stages: { 2: { stack_ops: 'ops', stack_factor: '0' } } }), CODE);
  });
});
