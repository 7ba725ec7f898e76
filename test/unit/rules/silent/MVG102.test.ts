import { strict as assert } from 'node:assert';
import { RULE_BY_CODE } from '../../../../extension/core/rules/index';
import { at, config, example, fusionConfig, inStage, only, run } from './helpers';

const CODE = 'MVG102';

describe('MVG102 group-base-not-honoured', () => {
  it('is registered as a silent warning', () => {
    const r = RULE_BY_CODE.get(CODE);
    assert.equal(r?.name, 'group-base-not-honoured');
    assert.equal(r?.severity, 'warning');
    assert.equal(r?.category, 'silent');
  });

  it('fires on conv1 of a gb16 op at 40 input channels: 2 groups of 20', () => {
    const text = config({ stages: { 2: { out_channels: 40 }, 3: { in_channels: 40 } } });
    const a = run(text);
    const fs = a.findings.filter((f) => f.code === CODE);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.equal(at(text, f.range), '"mixvarge_f2_gb16"');
    assert.ok(inStage(a, f.range, 3) && f.stage === 3);
    assert.match(f.message, /^Groups of 20 channels, not 16 \(stage 3 head block, mixvarge_f2_gb16\)\./);
    assert.match(f.message, /conv1 has 40 input channels, so int\(40\/16\) = 2 groups of 20 channels: it builds and trains/);
    assert.ok(f.related && at(text, f.related[0].range) === '40' && inStage(a, f.related[0].range, 3));
    // The network really has 2 groups there.
    assert.equal(a.network?.stages[3].blocks[0].conv1.groups, 2);
    assert.equal(f.fixes, undefined);
  });

  it('reports a repeated stack op once, at its literal', () => {
    // out_channels=72 for stage 3: int(72/16) = 4 groups of 18 for the six stack blocks (one literal in `[...] * 6`),
    // and stage 4's head (in_channels=72) too.
    const text = config({ stages: { 3: { out_channels: 72 }, 4: { in_channels: 72 } } });
    const fs = only(text, CODE);
    assert.deepEqual(
      fs.map((f) => [f.stage, at(text, f.range)]),
      [
        [3, '"mixvarge_f2_gb16"'],
        [4, '"mixvarge_f2_gb16"'],
      ],
    );
    assert.match(fs[0].message, /^Groups of 18 channels, not 16 \(stage 3 stack block, mixvarge_f2_gb16\)\. conv1 has 72 input channels, so int\(72\/16\) = 4 groups of 18 channels/);
    assert.ok(text.indexOf('["mixvarge_f2_gb16"] * 6') + 1 === fs[0].range.start, 'the literal inside the repeated list');
  });

  it('fires on conv2 of mixvarge_k3k3_f2_gb16, whose groups come from out_channels', () => {
    const text = config({ stages: { 3: { head_op: '"mixvarge_k3k3_f2_gb16"', stack_ops: [], out_channels: 40 }, 4: { in_channels: 40 } } });
    const fs = only(text, CODE);
    const conv2 = fs.find((f) => f.stage === 3);
    assert.ok(conv2);
    assert.equal(at(text, conv2.range), '"mixvarge_k3k3_f2_gb16"');
    assert.match(conv2.message, /^Groups of 20 channels, not 16 .*conv2 has 40 output channels, so int\(40\/16\) = 2 groups of 20 channels/);
  });

  it('says "a plain conv" when int(c/16) is 1', () => {
    const text = config({ stages: { 2: { out_channels: 24 }, 3: { in_channels: 24 } } });
    const [f] = only(text, CODE);
    assert.match(f.message, /^Groups of 24 channels, not 16 .*int\(24\/16\) = 1 group of 24 channels \(a plain conv\)/);
  });

  it('does not fire when the groups do not divide the channels (the crash rule\'s case)', () => {
    // 56 → int(56/16) = 3 groups, and 3 does not divide 56: nn.Conv2d refuses it.
    assert.equal(only(config({ stages: { 2: { out_channels: 56 }, 3: { in_channels: 56 } } }), CODE).length, 0);
    // 8 → 0 groups.
    assert.equal(only(config({ stages: { 2: { out_channels: 8 }, 3: { in_channels: 8 } } }), CODE).length, 0);
  });

  it('does not fire on the seed, the fusion configs, multiples of 16, or unknown widths', () => {
    assert.equal(only(config(), CODE).length, 0);
    assert.equal(only(fusionConfig(), CODE).length, 0);
    assert.equal(only(example('mixvargenet_fusion.py'), CODE).length, 0, 'stack_factor=2 widths 192 → 12 groups of 16');
    assert.equal(only(config({ stages: { 2: { out_channels: 48 }, 3: { in_channels: 48 } } }), CODE).length, 0);
    assert.equal(only(config({ prelude: 'from x import W', stages: { 2: { out_channels: 'W' }, 3: { in_channels: 'W' } } }), CODE).length, 0);
  });
});
