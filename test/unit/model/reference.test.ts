/**
 * The independent check: the network analyze() models for each example config against what
 * PyTorch measured on the same config (test/fixtures/torch/reference.py --all wrote
 * test/fixtures/expected/*.json by executing the config and running a real nn.Module).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../extension/core/analyze';
import { differences, predictedOutputShape, REPO, type RefResult } from './reference-compare';

const expectedDir = path.join(REPO, 'test/fixtures/expected');
const files = fs.existsSync(expectedDir) ? fs.readdirSync(expectedDir).filter((f) => f.endsWith('.json')).sort() : [];

describe('model vs PyTorch reference (test/fixtures/expected)', () => {
  it('has a torch-derived fixture for every valid example config', () => {
    const examples = fs
      .readdirSync(path.join(REPO, 'examples/configs'))
      .filter((f) => f.endsWith('.py') && f !== 'mistakes.py' && f !== 'half_typed.py')
      .map((f) => f.replace(/\.py$/, '.json'))
      .sort();
    assert.deepEqual(files, examples);
  });

  for (const file of files) {
    const ref = JSON.parse(fs.readFileSync(path.join(expectedDir, file), 'utf8')) as RefResult;
    describe(ref.config, () => {
      const a = analyze(fs.readFileSync(path.join(REPO, ref.config), 'utf8'));
      const net = a.network;

      it('matches totals, stem, every stage, head and output shape', () => {
        assert.deepEqual(differences(net, ref), []);
      });

      it('reports no error finding on a config that builds and runs in PyTorch', () => {
        assert.deepEqual(
          a.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`),
          [],
        );
        assert.deepEqual(a.ruleErrors, []);
      });

      it('adds stem, stages and head up to the totals PyTorch counts', () => {
        assert.ok(net);
        const stageParams = ref.stages.reduce((t, s) => t + s.params, 0);
        const stageMacs = ref.stages.reduce((t, s) => t + s.macs, 0);
        assert.equal(net.params, ref.stem.params + stageParams + (ref.head?.params ?? 0));
        assert.equal(net.macs, ref.stem.macs + stageMacs + (ref.head?.macs ?? 0));
        if (ref.output_shape) assert.deepEqual(predictedOutputShape(net), ref.output_shape);
      });
    });
  }

  it('the comparison notices a wrong number, routing, ReLU or output shape', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(expectedDir, 'mixvargenet_fusion.json'), 'utf8')) as RefResult;
    const net = analyze(fs.readFileSync(path.join(REPO, ref.config), 'utf8')).network;
    const bad = structuredClone(ref);
    bad.stages[2].macs += 1;
    bad.stages[3].received = [{ stage: 2, scale: 2 }, { stage: 1, scale: 4 }];
    bad.stages[4].head_final_relu = false;
    bad.output_shape = [2, 1000];
    assert.deepEqual(
      differences(net, bad).map((d) => d.replace(/:.*/, '')),
      ['stage 2 (mod4) macs', 'stage 3 (mod5) received', 'stage 4 (mod6) head finalRelu', 'output shape'],
    );
    assert.deepEqual(differences(net, { ...ref, error: 'KeyError' }), ['the reference failed: KeyError']);
  });

  it('pins the seed to the figures of MIXVARGENET.md (2,310,744 params, 1,033,746,432 MACs)', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(expectedDir, 'mixvargenet_imagenet.json'), 'utf8')) as RefResult;
    assert.equal(ref.params, 2_310_744);
    assert.equal(ref.macs, 1_033_746_432);
    assert.deepEqual(ref.output_shape, [1, 1000]);
  });
});
