import { strict as assert } from 'node:assert';
import { applyFix, lineAt, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG004';

describe('MVG004 downsample-range', () => {
  it('fires on extra_downsample_num=4 and clamps it to 3', () => {
    const text = makeConfig({ stages: { 2: { extra_downsample_num: '4' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '4');
    assert.equal(f.stage, 2);
    assert.match(f.message, /^extra_downsample_num=4 is not 0–3 \(stage 2\)\. HAT's "assert downsample_num in \[0, 1, 2, 3\]" fails/);
    assert.match(f.message, /AssertionError/);
    const fixed = applyFix(text, preferredFix(f));
    assert.match(lineAt(fixed, f.range.start), /extra_downsample_num=3\)\]/);
  });

  it('fires on a negative value and clamps it to 0', () => {
    const text = makeConfig({ stages: { 1: { extra_downsample_num: '-1' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '-1');
    assert.match(applyFix(text, preferredFix(f)), /stride=2, fusion_strides=\[\], extra_downsample_num=0\)\],\n {4}\[MixVarGENetConfig\(in_channels=32, out_channels=64/);
  });

  it('reports a computed value without a fix', () => {
    const text = makeConfig({ preamble: 'n = 2', stages: { 1: { extra_downsample_num: 'n * 3' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'n * 3');
    assert.match(f.message, /extra_downsample_num=6/);
    assert.equal(f.fixes, undefined);
  });

  it('does not fire on 0..3, on True, on unknown values or on floats (MVG011)', () => {
    for (const v of ['0', '1', '2', '3', 'True']) none(makeConfig({ stages: { 1: { extra_downsample_num: v }, 2: { fusion_strides: '[]' } } }), CODE);
    none(makeConfig({ preamble: 'from x import n', stages: { 1: { extra_downsample_num: 'n' } } }), CODE);
    none(makeConfig({ stages: { 1: { extra_downsample_num: '5.0' } } }), CODE);
    none(makeConfig(), CODE);
  });
});
