import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG006';

describe('MVG006 fusion-source', () => {
  // Stage 1 emits 2x and 4x maps, stage 2 fuses stage 1's 2x and emits its own 2x;
  // stage 3 then receives [stage 1's 4x (32 ch), stage 2's 2x (64 ch)] and must say [4, 8].
  const routed = (fs3: string) =>
    makeConfig({ stages: { 1: { extra_downsample_num: '2' }, 2: { fusion_strides: '[4]', extra_downsample_num: '1' }, 3: { fusion_strides: fs3 } } });

  it('reports fusion_strides written out of order once, on the list, with each entry related and one fix for the whole list', () => {
    const text = routed('[8, 4]');
    const f = one(text, CODE);
    assert.equal(under(text, f), '[8, 4]');
    assert.equal(f.stage, 3);
    // Stride 8 names stage 2 (64 channels) but stage 1's 4x map (32) arrives first; stride 4 names stage 1 (32) but gets stage 2's 2x map (64).
    assert.match(f.message, /^Fusion convs expect 64 and 32 channels, get 32 and 64 \(stage 3\)\. /, 'the headline first');
    assert.match(f.message, /fusion_strides=\[8, 4\] names stages 2 and 1, but stage 1's 4x map \(32 channels\) and stage 2's 2x map \(64 channels\) arrive in that order/);
    assert.match(f.message, /expected input … to have 64 channels, but got 32 channels instead/);
    assert.match(f.message, /\[4, 8\] names the maps in the order they arrive\.$/);
    assert.deepEqual(
      f.related!.slice(0, 2).map((r) => [under(text, r), r.message]),
      [
        ['8', "stride 8 names stage 2 (64 channels); position 0 gets stage 1's 4x map (32 channels)"],
        ['4', "stride 4 names stage 1 (32 channels); position 1 gets stage 2's 2x map (64 channels)"],
      ],
    );
    const fixed = applyFix(text, preferredFix(f));
    assert.equal(fixed, routed('[4, 8]'));
    none(fixed, CODE);
    none(fixed, 'MVG005');
  });

  it('reports one wrong entry on that entry, the headline first', () => {
    // [4, 4]: position 0 gets stage 1's 4x map (32 channels, as stride 4 says); position 1 gets stage 2's 2x map (64) but stride 4 names stage 1 (32).
    const text = routed('[4, 4]');
    const f = one(text, CODE);
    assert.equal(text.slice(f.range.start - 4, f.range.end + 1), '[4, 4]');
    assert.match(f.message, /^Fusion conv expects 32 channels, gets 64 \(stride 4, stage 3\)\. Fusion stride 4 names stage 1 \(out_channels=32\), but the map arriving in position 1 is stage 2's 2x downsample with 64 channels/);
    assert.equal(under(text, f.related![0]), '32');
    assert.equal(applyFix(text, preferredFix(f)), routed('[4, 8]'));
  });

  it('fires on a non-positive stride (math.log2 domain error) whatever arrives', () => {
    const text = makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[0]' } } });
    const [f] = findings(text, CODE);
    assert.equal(under(text, f), '0');
    assert.match(f.message, /math\.log2\(0\).*ValueError: math domain error/);
    assert.equal(applyFix(text, preferredFix(f)), makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[4]' } } }));
  });

  it('fires on a stride naming a stage past the end (IndexError)', () => {
    const text = makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[128]' } } });
    const [f] = findings(text, CODE);
    assert.equal(under(text, f), '128');
    assert.match(f.message, /int\(log2\(128\) - 1\) = 6, but net_config has 5 stages/);
    assert.match(f.message, /IndexError/);
  });

  it('fires on a map whose size differs from the head output (stride-1 stage), without a fix', () => {
    const text = makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[4]', stride: '1' } } });
    const [f] = findings(text, CODE);
    assert.equal(under(text, f), '4');
    assert.match(f.message, /^Fusion map is 28x28, the head's output 56x56 \(stride 4, stage 2\)\. Fusion stride 4: stage 1's 2x downsample is 28x28, but this head's output is 56x56/);
    assert.equal(f.fixes, undefined);
  });

  it('does not fire on valid fusion, on counts that differ (MVG005), or when the routing is unknown', () => {
    none(routed('[4, 8]'), CODE);
    none(makeConfig(), CODE);
    none(makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[4, 8]' } } }), CODE);
    none(makeConfig({ preamble: 'from x import n', stages: { 1: { extra_downsample_num: '2' }, 2: { fusion_strides: '[4]', extra_downsample_num: 'n' }, 3: { fusion_strides: '[8, 4]' } } }), CODE);
    // float strides run in HAT (math.log2 takes them) and are not read: no verdict
    none(routed('[8.0, 4.0]'), CODE);
  });
});
