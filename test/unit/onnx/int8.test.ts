/**
 * int8 with onnxruntime (issue 15): the calibrated QDQ model is fused into int8 kernels (counted in ORT's own
 * optimised model), its outputs stay close to fp32's (an SQNR floor), and the int8 figures come back per stage.
 *
 * The SQNR floor, 20 dB (error power 1 % of the signal; cosine ≥ 0.99): one 8-bit uniform quantizer of a
 * full-scale signal gives ≈ 6.02·8 + 1.76 ≈ 50 dB; min/max scales use ~1/4 to 1/2 of the range of a bell-shaped
 * tensor (−6 to −12 dB) and ~60 quantizers in a row add their noise (−10·log10 60 ≈ −18 dB), so a correct model
 * lands near 50 − 12 − 18 = 20 dB at worst, ≈ 30–38 dB measured. A wrong scale, zero point, axis or bias scale
 * loses the signal (≤ 10 dB): the negative control below shows that the floor catches it.
 */
import { strict as assert } from 'node:assert';
import '../../../extension/ort/worker'; // compiled next to measure.js (see measure.test.ts)
import { encodeOnnx, planOnnx } from '../../../extension/core/onnx/build';
import { encodeQdq, ErrorAccumulator, quantPoints } from '../../../extension/core/onnx/quantize';
import { uniformArray } from '../../../extension/core/onnx/random';
import { measure, type MeasureOutcome, type PerfResult } from '../../../extension/ort/measure';
import { BACKBONE_FUSION, example, netOf } from './helpers';

const SQNR_FLOOR_DB = 20;

function ok(r: MeasureOutcome): PerfResult {
  if (!r.ok) assert.fail(`measurement failed: ${r.kind}: ${r.error}\n${r.stderr ?? ''}`);
  return r;
}

const quick = { runs: 2, warmup: 1, threads: 2, cache: false as const };

describe('int8 with onnxruntime: fusion, closeness to fp32, figures', function () {
  this.timeout(300_000);

  it('the seed: 41/41 convs and 17/17 adds run in int8 (ORT\'s optimised model), every stage ≥ 20 dB SQNR against fp32', async () => {
    const r = ok(await measure(netOf(example('mixvargenet_imagenet.py')), { ...quick, precision: 'both' }));
    const q = r.precisions!.int8!;
    assert.equal(q.totalConvs, 41);
    assert.equal(q.quantizedConvs, 41);
    assert.deepEqual(q.fp32Convs, []);
    assert.equal(q.totalAdds, 17);
    assert.equal(q.quantizedAdds, 17);
    assert.deepEqual(q.calibration.method, 'minmax');
    assert.equal(q.calibration.samples, 16);
    assert.equal(q.calibration.source, 'seeded');
    assert.equal(q.error.stages.length, 5);
    for (const e of [...q.error.stages, q.error.output!]) {
      assert.ok(e.sqnrDb !== null && e.sqnrDb >= SQNR_FLOOR_DB, `SQNR ${e.sqnrDb} dB`);
      assert.ok(e.cosine !== null && e.cosine >= 0.99, `cosine ${e.cosine}`);
    }
    // Per-stage times for both, each a share of its own median.
    for (const f of [r.precisions!.fp32!, q]) {
      assert.equal(f.stages.length, 5);
      const sum = f.stages.reduce((a, s) => a + s.latencyMs, 0) + (f.stem?.latencyMs ?? 0) + (f.head?.latencyMs ?? 0);
      assert.ok(sum <= f.latencyMs.median * 1.001 && sum > 0, `${sum} vs ${f.latencyMs.median}`);
    }
    assert.equal(r.precision, 'fp32');
    assert.equal(r.latencyMs.median, r.precisions!.fp32!.latencyMs.median, 'the top-level figures are fp32\'s');
    assert.ok(Array.isArray(r.isa));
  });

  it('a backbone with fusion maps: the fusion convs and adds are quantized too (all convs in int8)', async () => {
    const net = netOf(BACKBONE_FUSION);
    const r = ok(await measure(net, { ...quick, precision: 'int8', profile: false, calibration: { method: 'percentile', samples: 4 } }));
    const q = r.precisions!.int8!;
    const fusionConvs = net.stages.flatMap((s) => s.blocks.flatMap((b) => b.fusion)).length;
    assert.ok(fusionConvs > 0, 'the fixture has fusion convs');
    assert.equal(q.quantizedConvs, q.totalConvs, `in fp32: ${q.fp32Convs.join(', ')}`);
    assert.equal(q.quantizedAdds, q.totalAdds);
    assert.equal(q.calibration.method, 'percentile');
    assert.equal(q.calibration.percentile, 99.99);
    assert.equal(q.calibration.samples, 4);
    assert.equal(r.precisions!.fp32, undefined);
  });

  it('negative control: at optimisation level "basic" ORT fuses nothing, and the count says so, naming the fp32 convs', async () => {
    const r = ok(await measure(netOf(example('mixvargenet_imagenet.py')), { ...quick, precision: 'int8', profile: false, graphOptimizationLevel: 'basic', calibration: { samples: 2 } }));
    const q = r.precisions!.int8!;
    assert.equal(q.quantizedConvs, 0);
    assert.equal(q.fp32Convs.length, 41);
    assert.ok(q.fp32Convs.includes('stem') && q.fp32Convs.includes('head.cls'), q.fp32Convs.join(', '));
  });

  it('negative control for the SQNR floor: the same QDQ model with wrong ranges falls below it', async () => {
    // In this process: the fp32 model and a QDQ model whose ranges are 100× too small (every tensor saturates).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-node') as {
      Tensor: new (t: 'float32', d: Float32Array, dims: number[]) => unknown;
      InferenceSession: { create(b: Uint8Array, o: object): Promise<{ run(f: object): Promise<Record<string, { data: Float32Array }>>; release(): Promise<void> }> };
    };
    const plan = planOnnx(netOf(example('mixvargenet_imagenet.py')), { batch: 1 });
    const wrong = Object.fromEntries(quantPoints(plan).map((p) => [p.value, 0.01]));
    const opts = { intraOpNumThreads: 1, logSeverityLevel: 3 };
    const f = await ort.InferenceSession.create(encodeOnnx(plan).bytes, opts);
    const q = await ort.InferenceSession.create(encodeQdq(plan, wrong).bytes, opts);
    const x = new ort.Tensor('float32', uniformArray(3 * 224 * 224, 5), [1, 3, 224, 224]);
    const e = new ErrorAccumulator();
    e.add((await f.run({ input: x })).logits.data, (await q.run({ input: x })).logits.data);
    await f.release();
    await q.release();
    const { sqnrDb } = e.result();
    assert.ok(sqnrDb !== null && sqnrDb < SQNR_FLOOR_DB, `wrong ranges give ${sqnrDb} dB`);
  });

  it('refuses int8 for ONNX bytes and bad calibration settings, with the reason', async () => {
    const bytes = encodeOnnx(planOnnx(netOf(BACKBONE_FUSION), { batch: 1 })).bytes;
    const a = await measure(bytes, { ...quick, precision: 'int8' });
    assert.ok(!a.ok && a.kind === 'invalid' && /network/.test(a.error));
    const b = await measure(netOf(BACKBONE_FUSION), { ...quick, precision: 'int8', calibration: { percentile: 40, method: 'percentile' } });
    assert.ok(!b.ok && b.kind === 'invalid' && /percentile/.test(b.error));
    const c = await measure(netOf(BACKBONE_FUSION), { ...quick, precision: 'int4' as never });
    assert.ok(!c.ok && /precision must be one of fp32, int8, both/.test(c.error));
  });
});
