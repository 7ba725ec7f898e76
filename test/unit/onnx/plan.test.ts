// The network's plan as the analysis service hands it to "Measure Latency" / "Export ONNX": a symbolic-batch
// plan specialised per measurement must be exactly the plan built directly for that batch and seed, and a
// measurement of the plan must be the same cache entry as one of the network.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { networkPlan, planOnnx, specializePlan, OnnxBuildError } from '../../../extension/core/onnx/build';
import { AnalysisService } from '../../../extension/analysis/service';
import '../../../extension/ort/worker'; // compiled next to measure.js (see measure.test.ts)
import { PerfCache } from '../../../extension/ort/cache';
import { measure } from '../../../extension/ort/measure';
import { example, netOf, SMALL_CLASSIFIER } from './helpers';

const OPTS = { target: 'J5' as const, hints: true, disabled: [] };
const CONFIGS = ['mixvargenet_imagenet.py', 'mixvargenet_fusion.py', 'mixvargenet_backbone_only.py'];

describe('network plan (symbolic batch, specialised per measurement)', () => {
  for (const name of CONFIGS) {
    it(`${name}: specializePlan(networkPlan) equals planOnnx for batch 1, 3, symbolic, and another seed`, () => {
      const net = netOf(example(name));
      const p = networkPlan(net);
      assert.equal(p.kind, 'network-plan');
      assert.equal(p.macs, net.macs);
      assert.equal(p.stageCount, net.stages.length);
      assert.equal(p.includeTop, net.args.includeTop);
      for (const o of [{ batch: 1 }, { batch: 3 }, {}, { batch: 2, seed: 7 }]) {
        assert.deepEqual(specializePlan(p.graph, o), planOnnx(net, o), JSON.stringify(o));
      }
      // The plan is plain data: it survives structured cloning (the worker boundary) unchanged.
      assert.deepEqual(structuredClone(p), p);
    });
  }

  it('the batch rule: "batch" → B, "batch*R" → B·R (rows per image), numbers kept; batch 0 refused', () => {
    // Hand check of the dims rule on a synthetic plan: "batch" → B, "batch*R" → B·R, numbers kept.
    const plan = planOnnx(netOf(SMALL_CLASSIFIER));
    const fake = { ...plan, outputs: [{ name: 'logits', dims: ['batch*4', 10] as (number | string)[] }] };
    assert.deepEqual(specializePlan(fake, { batch: 3 }).outputs[0].dims, [12, 10]);
    assert.deepEqual(specializePlan(fake, {}).outputs[0].dims, ['batch*4', 10]);
    assert.throws(() => specializePlan(plan, { batch: 0 }), OnnxBuildError);
  });
});

describe('analysis service: onnxPlan', () => {
  it('answers the plan of the analysed version (no second analysis) and why there is none', () => {
    const s = new AnalysisService();
    const text = example('mixvargenet_imagenet.py');
    const snap = s.snapshot('u', 1, text, OPTS);
    const r = s.onnxPlan('u', 1, text, OPTS);
    assert.ok(r.ok);
    assert.equal(r.plan.macs, 1_033_746_432, 'the seed network (MACs derived by hand in the model tests and checked against torch)');
    assert.equal(r.plan.stageCount, snap.stages.length);
    assert.equal(s.onnxPlan('u', 1, text, OPTS), r, 'same version: the same plan object, made once');
    assert.equal(s.snapshot('u', 1, text, OPTS), snap, 'and the snapshot was not recomputed');

    const broken = s.onnxPlan('m', 1, example('mistakes.py'), OPTS);
    assert.equal(broken.ok, false);
    assert.match(!broken.ok ? broken.error : '', /cannot|not fully known|divisible|channels/i);
    const none = s.onnxPlan('n', 1, 'x = 1\n', OPTS);
    assert.deepEqual(none, { ok: false, error: 'no MixVarGENet network in this file (net_config with MixVarGENetConfig stages)' });
  });

  it('takes the op table the service was configured with (one op table)', () => {
    const s = new AnalysisService();
    const text = example('mixvargenet_imagenet.py').replace('head_op="mixvarge_f2",', 'head_op="team_f3",');
    assert.notEqual(text, example('mixvargenet_imagenet.py'));
    assert.equal(s.onnxPlan('u', 1, text, OPTS).ok, false, 'unknown op: no plan');
    s.configure({ json: { ops: { team_f3: { conv2_kernel_size: 1, padding: 0, factor: 3, j5: true } } }, source: 'ops.json' });
    assert.equal(s.onnxPlan('u', 1, text, OPTS).ok, true, 'with the user op the network is known');
  });
});

describe('measure(plan) and measure(network) are one cache entry', function () {
  this.timeout(120_000);
  it('a plan measurement is found by a cacheOnly lookup of the network; other settings miss', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-plan-cache-'));
    try {
      const net = netOf(SMALL_CLASSIFIER);
      const cache = new PerfCache(dir);
      const r = await measure(networkPlan(net), { threads: 1, runs: 2, warmup: 0, cache, profile: false });
      assert.ok(r.ok, !r.ok ? r.error : '');
      const hit = await measure(net, { threads: 1, runs: 2, warmup: 0, cache, profile: false, cacheOnly: true });
      assert.ok(hit.ok && hit.fromCache, 'network lookup finds the plan measurement');
      assert.equal(hit.ok && hit.latencyMs.median, r.latencyMs.median);
      const miss = await measure(networkPlan(net), { threads: 1, runs: 3, warmup: 0, cache, profile: false, cacheOnly: true });
      assert.equal(!miss.ok && miss.kind, 'miss', 'negative control: other settings are another entry');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
