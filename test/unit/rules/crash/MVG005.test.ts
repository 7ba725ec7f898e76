import { strict as assert } from 'node:assert';
import { applyFix, findings, makeConfig, none, one, preferredFix, under } from './helpers';

const CODE = 'MVG005';

describe('MVG005 fusion-count', () => {
  it('fires when the previous stage emits nothing (a plain tensor arrives) and offers fusion_strides=[]', () => {
    const text = makeConfig({ stages: { 2: { fusion_strides: '[4]' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '[4]');
    assert.equal(f.stage, 2);
    assert.match(f.message, /builds 1 fusion conv, but stage 2's head receives 0 maps/);
    assert.match(f.message, /stage 1 emits no downsamples \(extra_downsample_num=0\)/);
    assert.match(f.message, /AssertionError/);
    const fixed = applyFix(text, preferredFix(f));
    assert.equal(fixed, makeConfig());
    none(fixed, CODE);
  });

  it('fires on stage 0, which receives the stem output', () => {
    const text = makeConfig({ stages: { 0: { fusion_strides: '(2,)' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '(2,)');
    assert.match(f.message, /the stem passes it a plain tensor/);
  });

  it('fires when fewer maps arrive than fusion_strides names, and sets the arriving strides', () => {
    const text = makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[4, 8]' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), '[4, 8]');
    assert.match(f.message, /builds 2 fusion convs, but stage 2's head receives 1 map/);
    assert.match(f.message, /stage 1's 2x downsample \(32 channels\)/);
    assert.equal(under(text, f.related![0]), '1');
    const fixed = applyFix(text, preferredFix(f));
    assert.equal(fixed, makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[4]' } } }));
    assert.deepEqual(findings(fixed, 'MVG005').concat(findings(fixed, 'MVG006')), []);
  });

  it('fires when more maps arrive than named (stage 1 emits 2x and 4x, stage 2 emits 2x)', () => {
    const stages = { 1: { extra_downsample_num: '2' }, 2: { fusion_strides: '[4]', extra_downsample_num: '1' }, 3: { fusion_strides: '[8]' } };
    const text = makeConfig({ stages });
    const f = one(text, CODE);
    assert.equal(f.stage, 3);
    assert.match(f.message, /receives 2 maps: 2 maps arrive: stage 1's 4x downsample \(32 channels\) and stage 2's 2x downsample \(64 channels\)/);
    const fixed = applyFix(text, preferredFix(f));
    assert.ok(fixed.includes('fusion_strides=[4, 8]'));
    assert.deepEqual(findings(fixed, 'MVG005').concat(findings(fixed, 'MVG006')), []);
  });

  it('fires when the routing skips the stage: a list holding x alone arrives', () => {
    // Stage 0 emits (start = 0); stage 2 emits too, but after stage 2, i = 2 and the 2x list has
    // only two entries (stages 0 and 2): stage 3's head receives [x] and no map.
    const stages = { 0: { extra_downsample_num: '1' }, 1: { fusion_strides: '[2]' }, 2: { extra_downsample_num: '1' }, 3: { fusion_strides: '[8]' } };
    const text = makeConfig({ stages });
    const f = one(text, CODE);
    assert.equal(f.stage, 3);
    assert.match(f.message, /receives 0 maps: a list holding x alone arrives.*first emitting stage \(stage 0\).*position 2/);
    assert.ok(applyFix(text, preferredFix(f)).includes('fusion_strides=[], extra_downsample_num=0)],\n    [MixVarGENetConfig(in_channels=96'));
  });

  it('has no fix when fusion_strides is not written in place', () => {
    const text = makeConfig({ preamble: 'fs = [4]', stages: { 2: { fusion_strides: 'fs' } } });
    const f = one(text, CODE);
    assert.equal(under(text, f), 'fs');
    assert.equal(f.fixes, undefined);
  });

  it('does not fire on valid fusion, empty fusion, unknown routing or unknown fusion_strides', () => {
    none(makeConfig(), CODE);
    none(makeConfig({ stages: { 1: { extra_downsample_num: '1' }, 2: { fusion_strides: '[4]' } } }), CODE);
    // A stage HAT sends maps to with empty fusion_strides is the silent rules' business.
    none(makeConfig({ stages: { 1: { extra_downsample_num: '1' } } }), CODE);
    // What stage 1 emits cannot be known: no verdict on stage 2.
    none(makeConfig({ preamble: 'from x import n', stages: { 1: { extra_downsample_num: 'n' }, 2: { fusion_strides: '[4]' } } }), CODE);
    none(makeConfig({ preamble: 'from x import fs', stages: { 2: { fusion_strides: 'fs' } } }), CODE);
    // An earlier stage that cannot be read (not a config) makes the routing unknown.
    none(makeConfig({ preamble: 'from x import stage1', items: { 1: 'stage1' }, stages: { 2: { fusion_strides: '[4]' } } }), CODE);
  });
});
