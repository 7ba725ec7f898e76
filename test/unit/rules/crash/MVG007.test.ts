import { strict as assert } from 'node:assert';
import { applyFix, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG007';

describe('MVG007 top-receives-list', () => {
  it('fires when the last stage emits downsamples with the default include_top, and drops them', () => {
    const text = makeConfig({ stages: { 4: { extra_downsample_num: '1' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '1');
    assert.equal(f.stage, 4);
    assert.match(f.message, /^The classifier head gets a list, not a tensor \(stage 4, extra_downsample_num=1\)\./);
    assert.match(f.message, /include_top=True \(the default\)/);
    assert.match(f.message, /TypeError/);
    assert.equal(under(text, f.related![0]), 'type="MixVarGENet"');
    assert.equal(applyFix(text, preferredFix(f)), makeConfig());
  });

  it('fires with an explicit include_top=True and points at it', () => {
    const text = makeConfig({ stages: { 4: { extra_downsample_num: '3' } }, backbone: { include_top: 'True' } });
    const f = one(text, CODE);
    assert.match(f.message, /With include_top=True its output becomes a list \[x, 3 downsampled maps\]/);
    assert.equal(under(text, f.related![0]), 'include_top=True');
  });

  it('does not fire without the top, on a non-last stage, out of range (MVG004), or when include_top is unknown', () => {
    none(makeConfig({ stages: { 4: { extra_downsample_num: '1' } }, backbone: { include_top: 'False' } }), CODE);
    none(makeConfig({ stages: { 3: { extra_downsample_num: '1' }, 4: { fusion_strides: '[16]' } } }), CODE);
    none(makeConfig({ stages: { 4: { extra_downsample_num: '5' } } }), CODE);
    none(makeConfig({ preamble: 'from x import top', stages: { 4: { extra_downsample_num: '1' } }, backbone: { include_top: 'top' } }), CODE);
    none(makeConfig({ preamble: 'from x import extra', stages: { 4: { extra_downsample_num: '1' } }, backbone: { '**extra': null } }).replace('        bias=True,', '        bias=True,\n        **extra,'), CODE);
    none(makeConfig(), CODE);
  });
});
