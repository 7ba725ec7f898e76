import { strict as assert } from 'node:assert';
import { config, example, fusionConfig, GUIDANCE_CODES, run, WARNING_CODES } from './helpers';

describe('silent and guidance rules on valid configs', () => {
  it('the seed example has no findings from the warning rules (nor hints)', () => {
    const a = run(example('mixvargenet_imagenet.py'));
    assert.equal(a.network?.params, 2_310_744);
    assert.deepEqual(a.findings.filter((f) => WARNING_CODES.includes(f.code) || GUIDANCE_CODES.includes(f.code)), []);
  });

  it('the inline seed built by the helper is the seed network, with no findings at all', () => {
    const a = run(config());
    assert.equal(a.network?.params, 2_310_744);
    assert.equal(a.network?.macs, 1_033_746_432);
    assert.deepEqual(a.findings, []);
  });

  it('the hand-routed fusion config builds and has no warnings', () => {
    const a = run(fusionConfig());
    assert.equal(a.network?.exact, true);
    const heads = a.network!.stages.map((s) => s.blocks[0].fusion.map((f) => `${f.map?.fromStage}.${f.map?.scale}x`));
    assert.deepEqual(heads, [[], [], [], ['2.2x'], ['2.4x', '3.2x']]);
    assert.deepEqual(a.findings.filter((f) => f.severity !== 'hint'), []);
  });

  it('the shipped valid examples have no warnings from these rules', () => {
    for (const name of ['mixvargenet_fusion.py', 'mixvargenet_backbone_only.py', 'mixvargenet_expressions.py']) {
      const a = run(example(name));
      assert.deepEqual(a.findings.filter((f) => WARNING_CODES.includes(f.code)).map((f) => f.message), [], name);
    }
  });
});
