import { strict as assert } from 'node:assert';
import { findings, makeConfig, none, one, under } from './helpers';

const CODE = 'MVG003';

describe('MVG003 group-divisibility', () => {
  it('fires on gb16 stack blocks whose width 56 gives 3 groups (56 % 3 != 0), once for ["op"] * 6', () => {
    const text = makeConfig({ stages: { 3: { out_channels: '48', stack_ops: '["mixvarge_f2_gb16"] * 6' }, 4: { in_channels: '48' } } });
    none(text, CODE); // 48 → 3 groups of 16: fine
    const bad = makeConfig({ stages: { 3: { out_channels: '56' }, 4: { in_channels: '56' } } });
    const fs = findings(bad, CODE);
    // stage 3's six stack blocks (one finding at the shared op string) and stage 4's head block
    assert.equal(fs.length, 2);
    const [stack, head] = fs;
    assert.equal(stack.severity, 'error');
    assert.equal(stack.stage, 3);
    assert.equal(under(bad, stack), '"mixvarge_f2_gb16"');
    assert.equal(bad.slice(stack.range.end, stack.range.end + 5), '] * 6', 'the range is the stack op string');
    assert.match(stack.message, /stack blocks 1–6 of stage 3/);
    assert.match(stack.message, /int\(56 \/ 16\) = 3 groups/);
    assert.match(stack.message, /56 input channels are not divisible by 3/);
    assert.match(stack.message, /in_channels must be divisible by groups/);
    assert.match(stack.message, /48 or 64/);
    assert.equal(stack.fixes, undefined);
    assert.equal(under(bad, stack.related![0]), '56');
    assert.equal(head.stage, 4);
    assert.match(head.message, /head block of stage 4/);
    assert.equal(under(bad, head.related![0]), '56', 'the head block points at in_channels');
  });

  it('fires on 0 groups when a gb16 conv has fewer than 16 input channels', () => {
    const text = makeConfig({ stages: { 0: { out_channels: '8' }, 1: { in_channels: '8', out_channels: '8', head_op: '"mixvarge_f2_gb16"', stack_ops: '[]' }, 2: { in_channels: '8' } } });
    const f = one(text, CODE);
    assert.equal(f.stage, 1);
    assert.match(f.message, /int\(8 \/ 16\) = 0 groups/);
    assert.match(f.message, /groups must be a positive integer/);
  });

  it("fires on conv2 of mixvarge_k3k3_f2_gb16 (int(out / 16) groups) when mid is not divisible", () => {
    // cin 64 → mid 128; cout 80 → conv2 groups int(80/16) = 5; 128 % 5 != 0
    const text = makeConfig({ stages: { 3: { out_channels: '80', head_op: '"mixvarge_k3k3_f2_gb16"', stack_ops: '[]' }, 4: { in_channels: '80', head_op: '"mixvarge_f2"', stack_ops: '[]' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '"mixvarge_k3k3_f2_gb16"');
    assert.match(f.message, /conv2 \(128→80\) has int\(80 \/ 16\) = 5 groups, and its 128 input channels are not divisible by 5/);
  });

  it('fires on the mid width of a factor-1 group op (mixvarge_f1_gb16: mid = out_channels)', () => {
    // conv1 64 → 90 with int(64/16) = 4 groups: 90 % 4 != 0
    const text = makeConfig({ stages: { 3: { head_op: '"mixvarge_f1_gb16"', out_channels: '90', stack_ops: '[]' }, 4: { in_channels: '90', head_op: '"mixvarge_f2"', stack_ops: '[]' } } });
    const f = one(text, CODE);
    assert.match(f.message, /90 output channels are not divisible by 4/);
    assert.match(f.message, /out_channels must be divisible by groups/);
  });

  it('covers stack widths widened by stack_factor, and points at stack_factor', () => {
    // out 40, factor 3: middle blocks are 120 wide → int(120/16) = 7 groups, 120 % 7 != 0
    const text = makeConfig({ stages: { 4: { out_channels: '48', stack_ops: '["mixvarge_f2_gb16"] * 3', stack_factor: '3' } } });
    none(text, CODE); // 144 → 9 groups of 16
    const bad = makeConfig({ stages: { 4: { out_channels: '40', stack_ops: '["mixvarge_f2_gb16"] * 3', stack_factor: '3' } } });
    const f = one(bad, CODE);
    assert.match(f.message, /stack blocks 2, 3 of stage 4/);
    assert.match(f.message, /int\(120 \/ 16\) = 7 groups/);
    assert.deepEqual(
      f.related!.map((r) => under(bad, r)),
      ['40', '3'],
    );
  });

  it('does not fire on the seed, on non-group ops at any width, or on unknown widths', () => {
    none(makeConfig(), CODE);
    none(
      makeConfig({ stages: { 3: { out_channels: '56', head_op: '"mixvarge_f2"', stack_ops: '["mixvarge_f2"] * 6' }, 4: { in_channels: '56', head_op: '"mixvarge_f2"', stack_ops: '["mixvarge_f2"]' } } }),
      CODE,
    );
    none(makeConfig({ preamble: 'from widths import W', stages: { 3: { out_channels: 'W' }, 4: { in_channels: 'W' } } }), CODE);
    // an unknown op is MVG001's business
    none(makeConfig({ stages: { 3: { head_op: '"mixvarge_f3_gb16"' } } }), CODE);
  });
});
