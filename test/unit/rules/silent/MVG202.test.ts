import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, config, example, fusionConfig, inStage, only, q, run } from './helpers';

const CODE = 'MVG202';

describe('MVG202 conv-kind-for-width', () => {
  it('is registered as a guidance hint documenting its thresholds', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'conv-kind-for-width');
    assert.equal(r?.severity, 'hint');
    assert.equal(r?.category, 'guidance');
    assert.match(r!.doc, /cin < 64/);
    assert.match(r!.doc, /cin ≥ 256/);
  });

  it('fires on a group op at 32 input channels', () => {
    const text = config({ stages: { 1: { head_op: q('mixvarge_f2_gb16') } } });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'hint');
    assert.equal(at(text, f.range), '"mixvarge_f2_gb16"');
    assert.ok(inStage(a, f.range, 1) && f.stage === 1);
    assert.match(f.message, /^Group conv at only 32 channels \(stage 1 head block, mixvarge_f2_gb16\)\. It splits 32 input channels into 2 groups of 16/);
    assert.match(f.message, /plain convs below 64 channels/);
  });

  it('fires on a plain op at 256 input channels or more, once per literal', () => {
    const text = config({
      stages: { 4: { in_channels: 96, out_channels: 256, head_op: q('mixvarge_f2_gb16'), stack_ops: '["mixvarge_f2"] * 2' } },
    });
    const fs = only(text, CODE);
    assert.equal(fs.length, 1);
    assert.equal(at(text, fs[0].range), '"mixvarge_f2"');
    assert.match(fs[0].message, /^Plain 3x3 conv at 256 channels \(stage 4 stack block, mixvarge_f2\)\./);
  });

  it('does not fire at the thresholds\' other side, on invalid groups, or with hints off', () => {
    assert.equal(only(config(), CODE).length, 0, 'the seed: gb16 from 64, plain up to 64');
    assert.equal(only(fusionConfig(), CODE).length, 0);
    for (const name of ['mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py'])
      assert.equal(only(example(name), CODE).length, 0, name);
    // 56 channels: 3 groups that do not divide 56 — a crash, not a design hint
    assert.equal(only(config({ stages: { 2: { out_channels: 56 }, 3: { in_channels: 56 } } }), CODE).length, 0);
    assert.equal(only(config({ stages: { 1: { head_op: q('mixvarge_f2_gb16') } } }), CODE, { hints: false }).length, 0);
  });
});
