import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, applyFix, config, example, fusionConfig, inStage, only, preferred, run } from './helpers';

const CODE = 'MVG106';
const noTop = { include_top: 'False' };

describe('MVG106 unused-downsample', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'unused-downsample');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires on the last stage\'s downsamples without the top, with the params wasted', () => {
    const text = config({ stages: { 4: { extra_downsample_num: 2 } }, backbone: noTop });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '2');
    assert.ok(inStage(a, f.range, 4) && f.stage === 4);
    assert.equal(f.unnecessary, true);
    assert.match(f.message, /^Stage 4's 2x and 4x maps reach no head \(extra_downsample_num=2\)\./);
    assert.match(f.message, /without the top/);
    // two 3x3 convs 160→160 with bias and BN: 2 × (160·160·9 + 160 + 320) = 461,760 params;
    // MACs: 230,400 × (4·4 + 2·2) = 4,608,000 (7x7 → 4x4 → 2x2).
    assert.match(f.message, /2 convs, 461,760 params and 4,608,000 MACs of dead weight/);
    const fixed = applyFix(text, preferred(f));
    assert.equal(fixed, config({ backbone: noTop }));
    assert.equal(only(fixed, CODE).length, 0);
  });

  it('fires on an 8x map the routing never forwards, and lowers extra_downsample_num to 2', () => {
    // In the fusion config, stage 2's 8x map would only be forwarded after stage 4 (i = 2 → 8x[0]),
    // and stage 4 emits nothing: the third downsample conv is dead.
    const text = fusionConfig({ stages: { 2: { extra_downsample_num: 3 } } });
    const [f, ...rest] = only(text, CODE);
    assert.equal(rest.length, 0);
    assert.equal(at(text, f.range), '3');
    assert.equal(f.stage, 2);
    assert.equal(f.unnecessary, false, 'the 2x and 4x maps are used');
    // 64→64 3x3 with bias and BN: 64·64·9 + 64 + 128 = 37,056; 4x4 output from the 7x7 4x map: 36,864 × 16 MACs.
    assert.match(f.message, /^Stage 2's 8x map reaches no head \(extra_downsample_num=3\)\..*1 conv, 37,056 params and 589,824 MACs/);
    assert.equal(applyFix(text, preferred(f)), fusionConfig());
  });

  it('fires when a gap in the chain leaves a map without a receiver (the head gets [x] alone)', () => {
    // stage 1 emits (start = 1), stage 2 fuses it and emits nothing, stage 3 emits: after stage 3, i = 2,
    // and 2x holds two entries only, so stage 3's map is not handed on.
    const text = config({ stages: { 1: { extra_downsample_num: 1 }, 2: { fusion_strides: [4] }, 3: { extra_downsample_num: 1 } } });
    const fs = only(text, CODE);
    assert.equal(fs.length, 1);
    assert.equal(fs[0].stage, 3);
    assert.match(fs[0].message, /^Stage 3's 2x map reaches no head \(extra_downsample_num=1\)\. The fusion routing never hands it to a later stage/);
    const fixed = applyFix(text, preferred(fs[0]));
    assert.equal(fixed, config({ stages: { 1: { extra_downsample_num: 1 }, 2: { fusion_strides: [4] } } }));
    assert.equal(run(fixed).findings.filter((x) => x.severity !== 'hint').length, 0);
  });

  it('names the conv count without params when the width is unknown', () => {
    const text = config({ prelude: 'from x import W', stages: { 4: { extra_downsample_num: 1, out_channels: 'W' } }, backbone: noTop });
    const [f] = only(text, CODE);
    assert.ok(f);
    assert.match(f.message, /1 conv of dead weight\.$/);
  });

  it('offers no fix when lowering the value would shift what later stages receive', () => {
    // stage 1's 4x map is never forwarded, but its entry in the 4x list is what keeps stage 3's 4x
    // map from reaching stage 4: lowering stage 1 to 1 would change stage 4's input.
    const text = config({ stages: { 1: { extra_downsample_num: 2 }, 2: { fusion_strides: [4] }, 3: { extra_downsample_num: 2 } } });
    const f = only(text, CODE).find((x) => x.stage === 1);
    assert.ok(f);
    assert.match(f.message, /^Stage 1's 4x map reaches no head \(extra_downsample_num=2\)\./);
    assert.match(f.message, /edit the routing by hand/);
    assert.equal(f.fixes, undefined);
  });

  it('leaves maps that arrive at a non-fusing head to MVG101, and the last stage with the top to the crash rule', () => {
    const dropped = config({ stages: { 3: { extra_downsample_num: 1 } } });
    assert.equal(only(dropped, CODE).length, 0);
    assert.equal(only(dropped, 'MVG101').length, 1);
    assert.equal(only(config({ stages: { 4: { extra_downsample_num: 1 } } }), CODE).length, 0);
  });

  it('does not fire on valid fusion, the examples, or when the routing is unknown', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(fusionConfig(), CODE).length, 0);
    for (const name of ['mixvargenet_imagenet.py', 'mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py'])
      assert.equal(only(example(name), CODE).length, 0, name);
    // stage 3's value is unknown: stage 2's 8x map might be forwarded.
    const unk = fusionConfig({ prelude: 'from x import N', stages: { 2: { extra_downsample_num: 3 }, 3: { extra_downsample_num: 'N' } } });
    assert.equal(only(unk, CODE).length, 0);
    const topUnknown = config({ prelude: 'from x import TOP', stages: { 4: { extra_downsample_num: 1 } }, backbone: { include_top: 'TOP' } });
    assert.equal(only(topUnknown, CODE).length, 0);
  });
});
