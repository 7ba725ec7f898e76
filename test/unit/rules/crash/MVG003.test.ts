import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG003';

// Widths worked out by hand from MIXVARGENET.md §2–3: a gb16 conv1 gets int(cin / 16) groups and
// must divide cin and its middle width (2 × cin for f2 ops, out_channels for f1 ops).
describe('MVG003 group-divisibility', () => {
  it('reports a width of 56 under gb16 ops once, at out_channels, with the blocks it breaks as related locations', () => {
    const text = makeConfig({ stages: { 3: { out_channels: '48', stack_ops: '["mixvarge_f2_gb16"] * 6' }, 4: { in_channels: '48' } } });
    none(text, CODE); // 48 → 3 groups of 16: fine
    // 56 → int(56 / 16) = 3 groups, 56 % 3 = 2: stage 3's six stack blocks and stage 4's head block (in_channels=56) all fail.
    const bad = makeConfig({ stages: { 3: { out_channels: '56' }, 4: { in_channels: '56' } } });
    const f = one(bad, CODE);
    assert.equal(f.stage, 3);
    assert.equal(under(bad, f), '56');
    assert.equal(bad.slice(f.range.start - 'out_channels='.length, f.range.end), 'out_channels=56', 'the range is the width that causes it');
    assert.match(f.message, /^56 channels don't split into 3 groups \(stage 3, mixvarge_f2_gb16\)\. /, 'the headline comes first');
    assert.match(f.message, /out_channels=56: conv1 \(56→112\) of stack blocks 1–6 gets int\(56 \/ 16\) = 3 groups/);
    assert.match(f.message, /in_channels must be divisible by groups/);
    assert.match(f.message, /The same width breaks the head block of stage 4\./);
    assert.match(f.message, /48 or 64 would work\.$/);
    // Related: the stack's op string (one place for ["op"] * 6), stage 4's head op and its in_channels.
    assert.deepEqual(
      f.related!.map((r) => [under(bad, r), r.message]),
      [
        ['"mixvarge_f2_gb16"', 'stage 3, stack blocks 1–6 (mixvarge_f2_gb16): conv1 56→112, int(56 / 16) = 3 groups'],
        ['"mixvarge_f2_gb16"', 'stage 4, the head block (mixvarge_f2_gb16): conv1 56→112, int(56 / 16) = 3 groups'],
        ['56', 'stage 4 in_channels=56 (the same width)'],
      ],
    );
    assert.ok(bad.slice(f.related![0].range.end, f.related![0].range.end + 5) === '] * 6');
    // The nearest multiples of 16, each changing stage 4's in_channels along (48 and 64 are 8 away: the lower first).
    assert.deepEqual(
      f.fixes!.map((x) => [x.title, !!x.preferred]),
      [
        ['Set stage 3 out_channels and stage 4 in_channels to 48', true],
        ['Set stage 3 out_channels and stage 4 in_channels to 64', false],
      ],
    );
    for (const w of ['48', '64']) {
      const fixed = applyFix(bad, f.fixes!.find((x) => x.title.endsWith(` ${w}`))!);
      assert.equal(fixed, makeConfig({ stages: { 3: { out_channels: w }, 4: { in_channels: w } } }));
      none(fixed, CODE);
      none(fixed, 'MVG002');
    }
  });

  it('reports six gb16 ops written one by one once (not six times), each op a related location', () => {
    const six = `[${Array(6).fill('"mixvarge_f2_gb16"').join(', ')}]`;
    const bad = makeConfig({ stages: { 3: { out_channels: '56', stack_ops: six }, 4: { in_channels: '56' } } });
    const f = one(bad, CODE);
    assert.equal(under(bad, f), '56');
    const stackRel = f.related!.filter((r) => r.message.startsWith('stage 3, stack block '));
    assert.equal(stackRel.length, 6);
    assert.deepEqual(stackRel.map((r) => r.message.slice(0, 'stage 3, stack block 1'.length)), [1, 2, 3, 4, 5, 6].map((i) => `stage 3, stack block ${i}`));
    assert.ok(stackRel.every((r) => under(bad, r) === '"mixvarge_f2_gb16"'));
  });

  it('offers the next stage’s in_channels first when the chain is broken and that width splits', () => {
    // examples/configs/mistakes.py: stage 3 out_channels=56 under gb16 stack ops, stage 4 in_channels=96.
    // 96 → 6 groups of 16 mends both errors with one edit; 48 and 64 change stage 4's in_channels along.
    const bad = makeConfig({ stages: { 3: { out_channels: '56' }, 4: { in_channels: '96' } } });
    const f = one(bad, CODE);
    assert.match(f.message, /48, 64 or 96 would work\.$/);
    assert.deepEqual(
      f.fixes!.map((x) => x.title),
      ['Set stage 3 out_channels to 96', 'Set stage 3 out_channels and stage 4 in_channels to 48', 'Set stage 3 out_channels and stage 4 in_channels to 64'],
    );
    const fixed = applyFix(bad, preferredFix(f));
    assert.equal(fixed, makeConfig({ stages: { 3: { out_channels: '96' }, 4: { in_channels: '96' } } }));
    none(fixed, CODE);
    none(fixed, 'MVG002');
  });

  it('puts a head block’s failure on in_channels when only that stage breaks, and changes the previous out_channels along', () => {
    // Stage 3 uses plain ops at 56 (no groups); stage 4's gb16 head gets int(56 / 16) = 3 groups.
    const bad = makeConfig({ stages: { 3: { out_channels: '56', head_op: '"mixvarge_f2"', stack_ops: '["mixvarge_f2"] * 6' }, 4: { in_channels: '56' } } });
    const f = one(bad, CODE);
    assert.equal(f.stage, 4);
    assert.equal(bad.slice(f.range.start - 'in_channels='.length, f.range.end), 'in_channels=56');
    assert.match(f.message, /^56 channels don't split into 3 groups \(stage 4, mixvarge_f2_gb16\)\. in_channels=56: conv1 \(56→112\) of the head block/);
    assert.deepEqual(
      f.fixes!.map((x) => x.title),
      ['Set stage 4 in_channels and stage 3 out_channels to 48', 'Set stage 4 in_channels and stage 3 out_channels to 64'],
    );
    const fixed = applyFix(bad, preferredFix(f));
    none(fixed, CODE);
    none(fixed, 'MVG002');
  });

  it('fires on 0 groups when a gb16 conv has fewer than 16 input channels, and offers 16', () => {
    const text = makeConfig({ stages: { 0: { out_channels: '8' }, 1: { in_channels: '8', out_channels: '8', head_op: '"mixvarge_f2_gb16"', stack_ops: '[]' }, 2: { in_channels: '8' } } });
    const f = one(text, CODE);
    assert.equal(f.stage, 1);
    assert.match(f.message, /^8 channels make 0 groups of 16 \(stage 1, mixvarge_f2_gb16\)\./);
    assert.match(f.message, /int\(8 \/ 16\) = 0 groups \(fewer than 16 channels\)/);
    assert.match(f.message, /groups must be a positive integer/);
    // 16 → 1 group (conv1 16→32); no multiple of 16 lies below 8.
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Set stage 1 in_channels and stage 0 out_channels to 16']);
    const fixed = applyFix(text, preferredFix(f));
    none(fixed, CODE);
    none(fixed, 'MVG002');
  });

  it("fires on conv2 of mixvarge_k3k3_f2_gb16 (int(out / 16) groups) when mid is not divisible, and skips widths that still fail", () => {
    // cin 64 → mid 128; cout 80 → conv2 groups int(80/16) = 5; 128 % 5 = 3.
    // Candidates: 64 (4 groups, 128 % 4 = 0) below; above, 96 (6: 128 % 6 = 2) and 112 (7: 128 % 7 = 2) fail, 128 (8) works.
    const text = makeConfig({ stages: { 3: { out_channels: '80', head_op: '"mixvarge_k3k3_f2_gb16"', stack_ops: '[]' }, 4: { in_channels: '80', head_op: '"mixvarge_f2"', stack_ops: '[]' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '80');
    assert.match(f.message, /^128 channels don't split into 5 groups \(stage 3, mixvarge_k3k3_f2_gb16\)\./);
    assert.match(f.message, /conv2 \(128→80\) of the head block gets int\(80 \/ 16\) = 5 groups, which do not divide its 128 input channels/);
    assert.match(f.message, /64 or 128 would work\.$/);
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Set stage 3 out_channels and stage 4 in_channels to 64', 'Set stage 3 out_channels and stage 4 in_channels to 128']);
    assert.deepEqual(
      f.related!.map((r) => under(text, r)),
      ['"mixvarge_k3k3_f2_gb16"', '64'],
      'the op, and in_channels=64 that sets the middle width',
    );
  });

  it('fires on the mid width of a factor-1 group op (mixvarge_f1_gb16: mid = out_channels), at out_channels', () => {
    // conv1 64 → 90 with int(64/16) = 4 groups: 90 % 4 = 2. 80 and 96 are divisible by 4.
    const text = makeConfig({ stages: { 3: { head_op: '"mixvarge_f1_gb16"', out_channels: '90', stack_ops: '[]' }, 4: { in_channels: '90', head_op: '"mixvarge_f2"', stack_ops: '[]' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '90');
    assert.match(f.message, /^90 channels don't split into 4 groups \(stage 3, mixvarge_f1_gb16\)\./);
    assert.match(f.message, /which do not divide its 90 output channels/);
    assert.match(f.message, /out_channels must be divisible by groups/);
    assert.match(f.message, /80 or 96 would work/);
    // 96 is 6 away, 80 is 10: the nearer first.
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Set stage 3 out_channels and stage 4 in_channels to 96', 'Set stage 3 out_channels and stage 4 in_channels to 80']);
  });

  it('covers stack widths widened by stack_factor, and names stack_factor', () => {
    // out 40, factor 3: the middle blocks are 120 wide → int(120/16) = 7 groups, 120 % 7 = 1.
    const text = makeConfig({ stages: { 4: { out_channels: '48', stack_ops: '["mixvarge_f2_gb16"] * 3', stack_factor: '3' } } });
    none(text, CODE); // 144 → 9 groups of 16
    const bad = makeConfig({ stages: { 4: { out_channels: '40', stack_ops: '["mixvarge_f2_gb16"] * 3', stack_factor: '3' } } });
    const f = one(bad, CODE);
    assert.equal(under(bad, f), '40');
    assert.match(f.message, /^120 channels don't split into 7 groups \(stage 4, mixvarge_f2_gb16\)\./);
    assert.match(f.message, /stack blocks 2, 3 gets int\(120 \/ 16\) = 7 groups/);
    assert.deepEqual(
      f.related!.map((r) => under(bad, r)),
      ['"mixvarge_f2_gb16"', '3'],
    );
    // 32 (×3 = 96: 6 groups) and 48 (×3 = 144: 9 groups); the last stage has no next stage to change along.
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Set stage 4 out_channels to 32', 'Set stage 4 out_channels to 48']);
    none(applyFix(bad, preferredFix(f)), CODE);
  });

  it('offers no fix when the width is not written here (a name), but still names the widths that work', () => {
    const bad = makeConfig({ preamble: 'W = 56', stages: { 3: { out_channels: 'W' }, 4: { in_channels: 'W' } } });
    const f = one(bad, CODE);
    assert.equal(under(bad, f), 'W');
    assert.match(f.message, /48 or 64 would work/);
    assert.equal(f.fixes, undefined);
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
    assert.equal(findings(makeConfig({ stages: { 3: { out_channels: '64' }, 4: { in_channels: '64' } } }), CODE).length, 0);
  });
});
