/**
 * The int8 QDQ model (core/onnx/quantize.ts): the arithmetic of its scales, zero points and observers
 * against hand-computed values, its quantized weights against the fp32 model's own, and what it is made of.
 */
import { strict as assert } from 'node:assert';
import { onnx } from 'onnx-proto';
import { encodeOnnx, planOnnx } from '../../../extension/core/onnx/build';
import { activationQuant, encodeQdq, ErrorAccumulator, quantizeBias, quantizeWeights, quantPoints, RangeObserver } from '../../../extension/core/onnx/quantize';
import { readFloatInitializers, readOnnx } from '../../../extension/core/onnx/read';
import { example, netOf } from './helpers';

describe('int8 QDQ: quantization arithmetic', () => {
  it('weights: symmetric int8 per output channel, scale max|w|/127 (hand-computed)', () => {
    const { q, scales } = quantizeWeights(new Float32Array([0.5, -1, 0.25, 2, 0, -2]), 2);
    assert.deepEqual([...scales].map((s) => +s.toPrecision(6)), [+(1 / 127).toPrecision(6), +(2 / 127).toPrecision(6)]);
    // 0.5·127 = 63.5 → 64; 0.25·127 = 31.75 → 32; channel 2: ±2 → ±127, 0 → 0
    assert.deepEqual([...q], [64, -127, 32, 127, 0, -127]);
    // An all-zero channel gets scale 1 (not 0, which DequantizeLinear would turn into NaN-free but meaningless 0/0).
    assert.deepEqual([...quantizeWeights(new Float32Array([0, 0]), 1).scales], [1]);
  });

  it('bias: int32 at input scale × weight scale per channel', () => {
    const { q, scales } = quantizeBias(new Float32Array([0.1, -0.03]), 0.02, new Float32Array([0.5, 0.25]));
    // 0.1 / (0.02·0.5) = 10; -0.03 / (0.02·0.25) = -6
    assert.deepEqual([...q], [10, -6]);
    assert.ok(Math.abs(scales[0] - 0.01) < 1e-9 && Math.abs(scales[1] - 0.005) < 1e-9);
  });

  it('activations: uint8 with zero point 0 after a Relu (0..r → 0..255), 128 otherwise (±r → ±127)', () => {
    const u = activationQuant(2.55, true);
    assert.equal(u.zeroPoint, 0);
    assert.ok(Math.abs(u.scale - 0.01) < 1e-12);
    const s = activationQuant(1.27, false);
    assert.equal(s.zeroPoint, 128);
    assert.ok(Math.abs(s.scale - 0.01) < 1e-12);
    // A tensor that never moved (all zeros): any scale is exact; 1/255, never 0.
    assert.deepEqual(activationQuant(0, true), { scale: 1 / 255, zeroPoint: 0 });
  });

  it('observers: min/max is the largest |x|; the percentile is within one histogram bin of the true one, also after the range doubles', () => {
    const mm = new RangeObserver('minmax');
    mm.observe([0.5, -3, 2]);
    mm.observe([1]);
    assert.equal(mm.result(), 3);
    // 1000 values 0.001 … 1.000: the 99th percentile of |x| is 0.99.
    const p = new RangeObserver('percentile', 99);
    p.observe(Float32Array.from({ length: 500 }, (_, i) => (i + 1) / 1000)); // range 0.5 first
    p.observe(Float32Array.from({ length: 500 }, (_, i) => -(i + 501) / 1000)); // then up to 1: the range doubles
    const r = p.result();
    assert.ok(r >= 0.99 - 1e-9 && r <= 0.99 + 2 * (1 / RangeObserver.BINS), `${r}`);
    // One outlier among 10,000 values in [0, 1): min/max follows it, the 99.9th percentile does not.
    const data = Float32Array.from({ length: 10_000 }, (_, i) => (i % 1000) / 1000);
    data[77] = 1000;
    const o = new RangeObserver('percentile', 99.9);
    o.observe(data);
    const m = new RangeObserver('minmax');
    m.observe(data);
    assert.equal(m.result(), 1000);
    assert.ok(o.result() >= 0.998 && o.result() < 2, `${o.result()}`);
  });

  it('error: SQNR and cosine similarity (hand-computed), null where undefined', () => {
    const e = new ErrorAccumulator();
    e.add([1, 2, 3], [1, 2, 4]);
    const r = e.result();
    // signal 1+4+9 = 14, noise 1 → 10·log10(14); cosine (1+4+12)/√(14·21)
    assert.ok(Math.abs(r.sqnrDb! - 10 * Math.log10(14)) < 1e-12);
    assert.ok(Math.abs(r.cosine! - 17 / Math.sqrt(14 * 21)) < 1e-12);
    const same = new ErrorAccumulator();
    same.add([1, -2], [1, -2]);
    assert.deepEqual(same.result(), { sqnrDb: null, cosine: 1 });
    assert.throws(() => same.add([1], [1, 2]), /cannot compare/);
  });
});

describe('int8 QDQ: the model', () => {
  const seed = netOf(example('mixvargenet_imagenet.py'));
  const plan = planOnnx(seed, { batch: 1 });

  it('quantizes the input, every conv output (after its Relu), every add and the pool of the seed: 60 tensors, 36 non-negative', () => {
    // Counted from MIXVARGENET.md §3 for the seed: 17 blocks (1+3+3+7+3), each conv1+Relu, conv2 and its
    // add's Relu; 4 shortcut convs (the first block of stages 1-4); the input, the stem; head fc+Relu, pool, cls.
    const pts = quantPoints(plan);
    assert.equal(pts.length, 1 + 1 + 17 * 3 + 4 + 3);
    assert.equal(pts.filter((p) => p.nonNegative).length, 17 + 17 + 1 + 1);
    assert.equal(pts[0].value, 'input');
    assert.ok(!pts.some((p) => p.value === 'logits'), 'the graph output stays float');
    assert.ok(pts.find((p) => p.value === 'head.pool')!.nonNegative, 'pooled from a Relu');
    assert.ok(!pts.find((p) => p.value === 'stage1.block0.shortcut')!.nonNegative);
    assert.ok(!pts.some((p) => p.value === 'stage1.block0.conv1'), 'a conv followed by a Relu is quantized after the Relu');
  });

  it('DQ → Conv → Q everywhere: 41 convs with int8 per-channel weights (axis 0) and int32 biases, opset 13; each weight within half a step of fp32', () => {
    const ranges = Object.fromEntries(quantPoints(plan).map((p) => [p.value, 4]));
    const q = encodeQdq(plan, ranges);
    const info = readOnnx(q.bytes);
    assert.equal(info.opset, 13);
    const count = (op: string) => info.nodes.filter((n) => n.opType === op).length;
    assert.equal(count('Conv'), 41);
    assert.equal(count('QuantizeLinear'), 60);
    assert.equal(count('DequantizeLinear'), 60 + 2 * 41, 'one per quantized tensor, one per conv weight and bias');
    for (const n of info.nodes.filter((x) => x.opType === 'Conv')) {
      assert.match(n.inputs[0], /\.dq$/, `${n.name} reads a dequantized input`);
      const consumers = info.nodes.filter((x) => x.inputs.includes(n.outputs[0]));
      assert.ok(consumers.length === 1 && ['QuantizeLinear', 'Relu'].includes(consumers[0].opType), `${n.name} → ${consumers.map((c) => c.opType)}`);
    }
    const m = onnx.ModelProto.decode(q.bytes);
    const init = new Map((m.graph!.initializer ?? []).map((t) => [t.name!, t]));
    assert.equal(init.get('stem.weight.int8')!.dataType, onnx.TensorProto.DataType.INT8);
    assert.equal(init.get('stem.bias.int32')!.dataType, onnx.TensorProto.DataType.INT32);
    assert.equal(init.get('input.zero_point')!.dataType, onnx.TensorProto.DataType.UINT8);
    const wdq = m.graph!.node!.find((n) => n.name === 'stem.weight.dequantize')!;
    assert.equal(wdq.attribute![0].name, 'axis');
    assert.equal(Number(wdq.attribute![0].i), 0);
    // The fp32 model's own weights, quantized: |w − q·s| ≤ s/2 for every value of every conv.
    const fp = readFloatInitializers(encodeOnnx(plan).bytes);
    const qf = readFloatInitializers(q.bytes);
    for (const st of plan.steps) {
      if (st.kind !== 'conv') continue;
      const w = fp.get(`${st.conv.id}.weight`)!.data;
      const s = qf.get(`${st.conv.id}.weight.scale`)!.data;
      const t = init.get(`${st.conv.id}.weight.int8`)!.rawData!;
      const qi = new Int8Array(t.buffer, t.byteOffset, t.byteLength);
      const per = w.length / st.conv.cout;
      for (let i = 0; i < w.length; i++) {
        const sc = s[Math.floor(i / per)];
        assert.ok(Math.abs(w[i] - qi[i] * sc) <= sc / 2 + 1e-7, `${st.conv.id}[${i}]`);
      }
    }
  });

  it('refuses to build without a range for every quantized tensor, and to observe a tensor that is not quantized', () => {
    const ranges = Object.fromEntries(quantPoints(plan).map((p) => [p.value, 1]));
    delete ranges['stage2.block1.conv2'];
    assert.throws(() => encodeQdq(plan, ranges), /no calibrated range for stage2\.block1\.conv2/);
    ranges['stage2.block1.conv2'] = 1;
    assert.throws(() => encodeQdq(plan, ranges, ['stage2.block1.conv1']), /not quantized/);
  });
});
