import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, preferredFix, under } from './helpers';

const CODE = 'MVG006';

describe('MVG006 fusion-source', () => {
  // Stage 1 emits 2x and 4x maps, stage 2 fuses stage 1's 2x and emits its own 2x;
  // stage 3 then receives [stage 1's 4x (32 ch), stage 2's 2x (64 ch)] and must say [4, 8].
  const routed = (fs3: string) =>
    makeConfig({ stages: { 1: { extra_downsample_num: '2' }, 2: { fusion_strides: '[4]', extra_downsample_num: '1' }, 3: { fusion_strides: fs3 } } });

  it('fires on each entry of fusion_strides written out of order, with one fix for the whole list', () => {
    const text = routed('[8, 4]');
    const fs = findings(text, CODE);
    assert.equal(fs.length, 2);
    assert.deepEqual(fs.map((f) => under(text, f)), ['8', '4']);
    assert.ok(fs.every((f) => f.severity === 'error' && f.stage === 3));
    assert.match(fs[0].message, /fusion stride 8 names stage 2 \(out_channels=64\), so its fusion conv takes 64 channels, but the map arriving in position 0 is stage 1's 4x downsample with 32 channels/);
    assert.match(fs[1].message, /fusion stride 4 names stage 1 \(out_channels=32\).*stage 2's 2x downsample with 64 channels/);
    assert.equal(under(text, fs[0].related![0]), '64');
    const fixed = applyFix(text, preferredFix(fs[0]));
    assert.equal(fixed, routed('[4, 8]'));
    none(fixed, CODE);
    none(fixed, 'MVG005');
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
    assert.match(f.message, /stage 1's 2x downsample is 28x28, but this head's output is 56x56/);
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
