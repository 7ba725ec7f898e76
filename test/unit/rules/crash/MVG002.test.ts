import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG002';

describe('MVG002 channel-chain', () => {
  it('fires on in_channels that differs from the previous out_channels, the headline first, with both ways to mend it', () => {
    // Stage 2 takes 48 but stage 1 outputs 32 (both plain mixvarge_f4 stages: any width splits).
    const text = makeConfig({ stages: { 2: { in_channels: '48' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '48');
    assert.equal(f.stage, 2);
    assert.match(f.message, /^Stage 2 expects 48 channels, stage 1 gives 32\. in_channels=48, but stage 1's out_channels is 32: /);
    assert.match(f.message, /expected input … to have 48 channels, but got 32 channels instead/);
    assert.equal(under(text, f.related![0]), '32');
    assert.equal(f.related![0].message, 'stage 1 out_channels=32');
    // Neither choice leaves an error: the rule's order stands (in_channels first).
    assert.deepEqual(f.fixes!.map((x) => [x.title, !!x.preferred]), [
      ['Set in_channels to 32', true],
      ['Set stage 1 out_channels to 48', false],
    ]);
    assert.equal(applyFix(text, f.fixes![0]), makeConfig());
    const other = applyFix(text, f.fixes![1]);
    assert.equal(other, makeConfig({ stages: { 1: { out_channels: '48' }, 2: { in_channels: '48' } } }));
    none(other, CODE);
  });

  it('prefers the fix that creates no new error: not in_channels=56 under a gb16 head (examples/configs/mistakes.py)', () => {
    // Stage 3 outputs 56 (gb16 stack: 3 groups, MVG003), stage 4 takes 96 with a gb16 head.
    // in_channels=56 would give stage 4's head int(56/16) = 3 groups (56 % 3 = 2: a new MVG003 there);
    // stage 3 out_channels=96 gives 6 groups everywhere and mends MVG003 as well.
    const text = makeConfig({ stages: { 3: { out_channels: '56' }, 4: { in_channels: '96' } } });
    const f = one(text, CODE);
    assert.deepEqual(f.fixes!.map((x) => [x.title, !!x.preferred]), [
      ['Set stage 3 out_channels to 96', true],
      ['Set in_channels to 56', false],
    ]);
    const preferred = applyFix(text, preferredFix(f));
    none(preferred, CODE);
    none(preferred, 'MVG003');
    // The other choice does swap one error for another (the ranking's reason).
    const swapped = applyFix(text, f.fixes![1]);
    none(swapped, CODE);
    assert.ok(findings(swapped, 'MVG003').some((x) => x.stage === 3 && x.message.includes('the head block of stage 4')));
  });

  it('offers only in_channels when the previous out_channels is not written as a number here', () => {
    const text = makeConfig({ preamble: 'W = 32', stages: { 1: { out_channels: 'W' }, 2: { in_channels: '48' } } });
    const f = one(text, CODE);
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Set in_channels to 32']);
  });

  it('does not fire on an intact chain or on widths that cannot be known', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ stages: { 3: { out_channels: '56' }, 4: { in_channels: '56' } } }), CODE);
    none(makeConfig({ preamble: 'from x import c', stages: { 2: { in_channels: 'c' } } }), CODE);
  });
});
