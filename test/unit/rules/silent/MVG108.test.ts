import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, applyFix, config, example, fusionConfig, inStage, only, run } from './helpers';

const CODE = 'MVG108';

describe('MVG108 fusion-rewired', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'fusion-rewired');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires when the stride names stage 1 but stage 0\'s map arrives (both 32 wide)', () => {
    // stage 0 [stride 2] emits a 2x map (112 → 56); stage 1 receives it, but fusion_strides=[4]
    // names stage 1 itself: the conv is 32→32 either way, so it runs.
    const text = config({ stages: { 0: { extra_downsample_num: 1 }, 1: { fusion_strides: [4] } } });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '4');
    assert.ok(inStage(a, f.range, 1) && f.stage === 1);
    assert.match(f.message, /^Fusion stride 4 gets stage 0's map, not stage 1's \(stage 1\)\. Stride 4 names stage 1, but the map arriving in position 0 is stage 0's 2x downsample/);
    assert.match(f.message, /both stages are 32 channels wide/);
    assert.equal(f.related?.length, 2);
    assert.ok(inStage(a, f.related![0].range, 1) && inStage(a, f.related![1].range, 0));
    // No crash finding: it really runs.
    assert.equal(a.findings.filter((x) => x.severity === 'error').length, 0);
    const fixed = applyFix(text, f.fixes![0]);
    assert.equal(fixed, config({ stages: { 0: { extra_downsample_num: 1 }, 1: { fusion_strides: [2] } } }));
    const b = run(fixed);
    assert.equal(only(fixed, CODE).length, 0);
    assert.equal(b.network?.params, a.network?.params, 'same network, the config now says so');
  });

  it('leaves unsorted strides to MVG105 and width mismatches to the crash rules', () => {
    // [16, 8] in the fusion config: stage 2 and 3 differ in width (64, 96) → a crash, not a rewiring
    assert.equal(only(fusionConfig({ stages: { 4: { fusion_strides: [16, 8] } } }), CODE).length, 0);
    // same widths, out of order: MVG105 alone
    const same = fusionConfig({ stages: { 2: { out_channels: 96 }, 3: { in_channels: 96 }, 4: { fusion_strides: [16, 8] } } });
    assert.equal(only(same, 'MVG105').length, 1);
    assert.equal(only(same, CODE).length, 0);
  });

  it('does not fire on valid fusion or the examples', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(fusionConfig(), CODE).length, 0);
    for (const name of ['mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py'])
      assert.equal(only(example(name), CODE).length, 0, name);
  });
});
