import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, config, example, fusionConfig, inStage, only, run } from './helpers';

const CODE = 'MVG203';

describe('MVG203 long-fusion', () => {
  it('is registered as a guidance hint', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'long-fusion');
    assert.equal(r?.severity, 'hint');
    assert.equal(r?.category, 'guidance');
  });

  it('fires on the 8x source of the fusion example (stage 1 → stage 4)', () => {
    const text = example('mixvargenet_fusion.py');
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'hint');
    assert.ok(inStage(a, f.range, 4) && f.stage === 4);
    assert.equal(at(text, f.range), '4');
    assert.ok(text.slice(f.range.start - 'fusion_strides=['.length, f.range.end).endsWith('fusion_strides=[4'));
    assert.match(f.message, /^Fusion from 3 stages back \(stage 4 fuses stage 1's 8x map\)\. Fusion stride 4:/);
    assert.match(f.message, /DDR instead of SRAM/);
  });

  it('fires in a small config: stage 1 emits 3 maps, stage 4 fuses the 8x one', () => {
    const text = config({
      stages: {
        1: { extra_downsample_num: 3 },
        2: { extra_downsample_num: 2, fusion_strides: [4] },
        3: { extra_downsample_num: 1, fusion_strides: [4, 8] },
        4: { fusion_strides: [4, 8, 16] },
      },
    });
    const fs = only(text, CODE);
    assert.deepEqual(fs.map((f) => [f.stage, at(text, f.range)]), [[4, '4']]);
    assert.equal(run(text).findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length, 0);
  });

  it('does not fire on sources one or two stages back, mismatched fusion, or with hints off', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(fusionConfig(), CODE).length, 0, 'stage 2 → 4 is two stages back');
    assert.equal(only(example('mixvargenet_backbone_only.py'), CODE).length, 0);
    assert.equal(only(example('mixvargenet_fusion.py'), CODE, { hints: false }).length, 0);
  });
});
