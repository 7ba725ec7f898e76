import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, config, example, fusionConfig, inStage, only, q, run } from './helpers';

const CODE = 'MVG201';

describe('MVG201 channel-multiple', () => {
  it('is registered as a guidance hint', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'channel-multiple');
    assert.equal(r?.severity, 'hint');
    assert.equal(r?.category, 'guidance');
  });

  it('fires on a plain stage width that is not a multiple of 8', () => {
    const text = config({ stages: { 1: { out_channels: 36 }, 2: { in_channels: 36 } } });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'hint');
    assert.equal(at(text, f.range), '36');
    assert.ok(inStage(a, f.range, 1) && f.stage === 1);
    assert.match(f.message, /^out_channels=36 is not a multiple of 8 \(stage 1\)\. The BPU pads it to 40 channels/);
  });

  it('asks for 16 where group convs use the width, and checks stage 0\'s in_channels', () => {
    // mixvarge_f1_gb16 64→72: conv1 has int(64/16) = 4 groups (of 16 in, 18 out), and 72 is not a multiple of 16.
    const text = config({ stages: { 3: { head_op: q('mixvarge_f1_gb16'), stack_ops: [], out_channels: 72 }, 4: { in_channels: 72, head_op: q('mixvarge_f2') } } });
    const [f] = only(text, CODE);
    assert.equal(at(text, f.range), '72');
    assert.equal(f.stage, 3);
    assert.match(f.message, /^out_channels=72 is not a multiple of 16 \(stage 3\)\. A group conv uses this width, and the BPU pads it to 80/);
    // the same width after plain convs only needs 8
    assert.equal(only(config({ stages: { 1: { out_channels: 40 }, 2: { in_channels: 40 } } }), CODE).length, 0);
    const stem = config({ stages: { 0: { in_channels: 20 }, } });
    const g = only(stem, CODE);
    assert.equal(g.length, 1);
    assert.equal(at(stem, g[0].range), '20');
    assert.match(g[0].message, /in_channels=20 is not a multiple of 8/);
    // stage 0 with a group head op: 24 must be a multiple of 16 → but int(24/16) = 1 group of 24 is MVG102's
    const gstem = config({ stages: { 0: { in_channels: 24, head_op: q('mixvarge_f2_gb16') } } });
    assert.equal(only(gstem, CODE).length, 0);
    assert.ok(only(gstem, 'MVG102').length >= 1);
  });

  it('leaves widths whose group convs are already wrong to MVG102 and the crash rule', () => {
    assert.equal(only(config({ stages: { 2: { out_channels: 40 }, 3: { in_channels: 40 } } }), CODE).length, 0);
    assert.equal(only(config({ stages: { 2: { out_channels: 56 }, 3: { in_channels: 56 } } }), CODE).length, 0);
  });

  it('can be turned off with the hints option, and is J5 guidance only', () => {
    const text = config({ stages: { 1: { out_channels: 36 }, 2: { in_channels: 36 } } });
    assert.equal(only(text, CODE, { hints: false }).length, 0);
    assert.equal(only(config({ march: 'March.NASH_E', stages: { 1: { out_channels: 36 }, 2: { in_channels: 36 } } }), CODE).length, 0);
  });

  it('does not fire on the seed, the fusion configs, or unknown widths', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(fusionConfig(), CODE).length, 0);
    for (const name of ['mixvargenet_imagenet.py', 'mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py'])
      assert.equal(only(example(name), CODE).length, 0, name);
    assert.equal(only(config({ prelude: 'from x import W', stages: { 1: { out_channels: 'W' }, 2: { in_channels: 'W' } } }), CODE).length, 0);
  });
});
