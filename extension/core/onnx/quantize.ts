/**
 * The network as a QDQ (QuantizeLinear / DequantizeLinear) int8 model, the form onnxruntime fuses into
 * int8 kernels on x86 (measured: /work/shared/ORT-INT8.md, issue 15):
 *
 *   - every activation is quantized where it is produced: DQ → Conv → Q on every conv output, DQ, DQ → Add → Q
 *     for residual and fusion adds, DQ → AveragePool → Q in the head; a Relu sits between its producer and
 *     the Q, which has zero point 0 (uint8's minimum), so ORT absorbs the Relu;
 *   - activations uint8, per tensor: zero point 0 for tensors that cannot be negative (after a Relu, or
 *     pooled from one), 128 (symmetric) for the others; scales from a calibration pass (the absolute
 *     range each tensor reached, by min/max or a percentile);
 *   - weights int8, symmetric per output channel (DequantizeLinear axis=0, zero points 0); biases int32
 *     through a DequantizeLinear whose scale is input scale × weight scale, per channel;
 *   - opset 13 (per-channel DequantizeLinear), the builder's IR version.
 *
 * The weights are the fp32 model's own (drawn in the same order from the same seed), so the QDQ model is
 * the fp32 model quantized, and the two can be compared output for output.
 *
 * Pure: no vscode, no node built-ins.
 */
import { onnx } from 'onnx-proto';
import { convNode, convWeightDims, drawConvWeights, int64Init, modelBytes, type OnnxModel, type OnnxPlan, opNode, valueInfo } from './build';
import { mulberry32 } from './random';

export type CalibrationMethod = 'minmax' | 'percentile';
export const CALIBRATION_METHODS: CalibrationMethod[] = ['minmax', 'percentile'];
/** The percentile of |x| the 'percentile' method keeps (the rest saturates). */
export const DEFAULT_PERCENTILE = 99.99;
/** The percentiles the 'percentile' method takes: above 50 (below, most values would saturate), at most 100. */
export function isCalibrationPercentile(p: unknown): p is number {
  return typeof p === 'number' && p > 50 && p <= 100;
}
/** Seeded calibration inputs when no folder is given. */
export const DEFAULT_CALIBRATION_SAMPLES = 16;

const F32 = onnx.TensorProto.DataType.FLOAT;
const U8 = onnx.TensorProto.DataType.UINT8;
const I8 = onnx.TensorProto.DataType.INT8;
const I32 = onnx.TensorProto.DataType.INT32;

/** A tensor quantized where it is produced. */
export interface QuantPoint {
  value: string;
  /** After a Relu (or pooled from one): uint8 with zero point 0; otherwise zero point 128. */
  nonNegative: boolean;
}

/**
 * The tensors of a plan that the QDQ model quantizes, in graph order: the input, every conv output
 * (after its Relu, when it has one), every Add (after its Relu) and the pooled head. Not the graph's
 * own outputs (Reshape/Identity of a quantized tensor stay float).
 */
export function quantPoints(plan: OnnxPlan): QuantPoint[] {
  const reluInput = new Set<string>();
  for (const st of plan.steps) if (st.kind === 'op' && st.opType === 'Relu') reluInput.add(st.inputs[0]);
  const nonNeg = new Set<string>();
  const out: QuantPoint[] = [{ value: plan.input.name, nonNegative: false }];
  for (const st of plan.steps) {
    if (st.kind === 'int64') continue;
    if (st.kind === 'conv') {
      if (!reluInput.has(st.conv.id)) out.push({ value: st.conv.id, nonNegative: false });
      continue;
    }
    const v = st.output ?? st.name;
    if (st.opType === 'Reshape' || st.opType === 'Identity' || reluInput.has(v)) continue;
    const nn = st.opType === 'Relu' || (st.opType === 'AveragePool' && nonNeg.has(st.inputs[0]));
    if (nn) nonNeg.add(v);
    out.push({ value: v, nonNegative: nn });
  }
  return out;
}

/** uint8 quantization of an activation whose values reached ±absMax (0..absMax when non-negative). */
export function activationQuant(absMax: number, nonNegative: boolean): { scale: number; zeroPoint: number } {
  const r = Number.isFinite(absMax) && absMax > 0 ? absMax : 1;
  return nonNegative ? { scale: r / 255, zeroPoint: 0 } : { scale: r / 127, zeroPoint: 128 };
}

/** Symmetric int8 per output channel: scale max|w|/127 (1 for an all-zero channel), values in -127..127. */
export function quantizeWeights(w: Float32Array, cout: number): { q: Int8Array; scales: Float32Array } {
  const per = w.length / cout;
  const q = new Int8Array(w.length);
  const scales = new Float32Array(cout);
  for (let c = 0; c < cout; c++) {
    let m = 0;
    for (let i = c * per; i < (c + 1) * per; i++) m = Math.max(m, Math.abs(w[i]));
    const s = m > 0 ? m / 127 : 1;
    scales[c] = s;
    for (let i = c * per; i < (c + 1) * per; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i] / s)));
  }
  return { q, scales };
}

/** The bias as int32 at scale inScale × wScale[c] (and that scale, float32 as ORT reads it). */
export function quantizeBias(b: Float32Array, inScale: number, wScales: Float32Array): { q: Int32Array; scales: Float32Array } {
  const scales = new Float32Array(b.length);
  const q = new Int32Array(b.length);
  for (let c = 0; c < b.length; c++) {
    scales[c] = Math.fround(inScale) * wScales[c];
    q[c] = Math.max(-2147483647, Math.min(2147483647, Math.round(b[c] / scales[c])));
  }
  return { q, scales };
}

function bytesOf(a: Float32Array | Int8Array | Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export interface QdqModel extends OnnxModel {
  /** Every quantized tensor: its uint8 scale and zero point, and the name of its Q output (uint8). */
  quantized: Record<string, { scale: number; zeroPoint: number; q: string }>;
}

/**
 * The QDQ model of a plan with the calibrated absolute ranges (`ranges[value]`, one per quantPoints value;
 * a missing one is an error). `observe` also makes the Q outputs (uint8) of these values graph outputs,
 * for comparing with the fp32 model; leave it empty for timing (an output can keep ORT from fusing).
 */
export function encodeQdq(plan: OnnxPlan, ranges: Record<string, number>, observe: string[] = [], docNote = ''): QdqModel {
  const points = quantPoints(plan);
  const missing = points.filter((p) => !(p.value in ranges)).map((p) => p.value);
  if (missing.length) throw new Error(`no calibrated range for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  const isPoint = new Map(points.map((p) => [p.value, p]));
  const rnd = mulberry32(plan.seed);
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  const quantized: QdqModel['quantized'] = {};
  let convCount = 0;
  let weightElements = 0;
  const scalar = (name: string, dataType: number, bytes: Uint8Array, dims: number[] = []) => inits.push({ name, dataType, dims, rawData: bytes });
  /** Q and DQ after the value; consumers read `${v}.dq`. */
  const qdq = (v: string) => {
    const p = isPoint.get(v)!;
    const { scale, zeroPoint } = activationQuant(ranges[v], p.nonNegative);
    scalar(`${v}.scale`, F32, bytesOf(new Float32Array([scale])));
    scalar(`${v}.zero_point`, U8, new Uint8Array([zeroPoint]));
    nodes.push({ name: `${v}.quantize`, opType: 'QuantizeLinear', input: [v, `${v}.scale`, `${v}.zero_point`], output: [`${v}.q`] });
    nodes.push({ name: `${v}.dequantize`, opType: 'DequantizeLinear', input: [`${v}.q`, `${v}.scale`, `${v}.zero_point`], output: [`${v}.dq`] });
    quantized[v] = { scale: Math.fround(scale), zeroPoint, q: `${v}.q` };
  };
  const src = (v: string) => (isPoint.has(v) ? `${v}.dq` : v);
  qdq(plan.input.name);
  for (const st of plan.steps) {
    if (st.kind === 'conv') {
      const c = st.conv;
      const inQ = quantized[st.input];
      if (!inQ) throw new Error(`${c.id}: its input ${st.input} is not quantized`);
      const { w, b } = drawConvWeights(c, rnd);
      const qw = quantizeWeights(w, c.cout);
      const qb = quantizeBias(b, inQ.scale, qw.scales);
      const wn = `${c.id}.weight`;
      const bn = `${c.id}.bias`;
      inits.push({ name: `${wn}.int8`, dataType: I8, dims: convWeightDims(c), rawData: bytesOf(qw.q) });
      scalar(`${wn}.scale`, F32, bytesOf(qw.scales), [c.cout]);
      scalar(`${wn}.zero_point`, I8, new Uint8Array(c.cout), [c.cout]);
      inits.push({ name: `${bn}.int32`, dataType: I32, dims: [c.cout], rawData: bytesOf(qb.q) });
      scalar(`${bn}.scale`, F32, bytesOf(qb.scales), [c.cout]);
      scalar(`${bn}.zero_point`, I32, new Uint8Array(4 * c.cout), [c.cout]);
      const axis0 = [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }];
      nodes.push({ name: `${wn}.dequantize`, opType: 'DequantizeLinear', input: [`${wn}.int8`, `${wn}.scale`, `${wn}.zero_point`], output: [wn], attribute: axis0 });
      nodes.push({ name: `${bn}.dequantize`, opType: 'DequantizeLinear', input: [`${bn}.int32`, `${bn}.scale`, `${bn}.zero_point`], output: [bn], attribute: axis0 });
      nodes.push(convNode(c, [src(st.input), wn, bn], c.id));
      if (isPoint.has(c.id)) qdq(c.id);
      convCount++;
      weightElements += w.length;
    } else if (st.kind === 'int64') inits.push(int64Init(st));
    else {
      nodes.push(opNode(st, st.inputs.map(src)));
      const v = st.output ?? st.name;
      if (isPoint.has(v)) qdq(v);
    }
  }
  const unknown = observe.filter((v) => !quantized[v]);
  if (unknown.length) throw new Error(`cannot observe ${unknown.join(', ')}: not quantized`);
  const outputs = [...plan.outputs.map((o) => valueInfo(o.name, o.dims)), ...observe.map((v) => ({ name: quantized[v].q, type: { tensorType: { elemType: U8 } } }))];
  const bytes = modelBytes(
    plan,
    nodes,
    inits,
    outputs,
    `MixVarGENet as HAT builds it, BatchNorm folded, quantized as QDQ: uint8 activations (per tensor, calibrated), int8 weights per output channel, int32 biases.${docNote ? ' ' + docNote : ''} Weights are pseudo-random (for timing, not accuracy).`,
    { 'mvg.precision': 'int8 (QDQ, U8S8)' },
  );
  return { bytes, input: plan.input, outputs: plan.outputs, seed: plan.seed, structureHash: plan.structureHash, convCount, weightElements, nodeNames: nodes.map((n) => n.name as string), quantized };
}

/**
 * The absolute range one tensor reaches over the calibration samples: its largest |x| ('minmax'), or
 * the `percentile` of |x| from a histogram of 2048 bins that doubles its range (merging bin pairs)
 * whenever a sample goes past it, so one pass suffices.
 */
export class RangeObserver {
  private absMax = 0;
  private hist?: Float64Array;
  private range = 0;
  private count = 0;
  static readonly BINS = 2048;
  constructor(
    readonly method: CalibrationMethod,
    readonly percentile = DEFAULT_PERCENTILE,
  ) {}

  observe(data: ArrayLike<number>): void {
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v > hi) hi = v;
      else if (v < lo) lo = v;
    }
    const m = Math.max(hi, -lo);
    if (m > this.absMax) this.absMax = m;
    if (this.method !== 'percentile') return;
    const B = RangeObserver.BINS;
    if (!this.hist) {
      this.hist = new Float64Array(B);
      this.range = m > 0 ? m : 1;
    }
    const h = this.hist;
    while (m > this.range) {
      for (let i = 0; i < B / 2; i++) h[i] = h[2 * i] + h[2 * i + 1];
      h.fill(0, B / 2);
      this.range *= 2;
    }
    const k = B / this.range;
    for (let i = 0; i < data.length; i++) {
      const b = Math.floor(Math.abs(data[i]) * k);
      h[b >= B ? B - 1 : b]++;
    }
    this.count += data.length;
  }

  /** The range to quantize to (0 before anything was observed). */
  result(): number {
    if (this.method !== 'percentile' || !this.hist || this.count === 0) return this.absMax;
    const target = (this.percentile / 100) * this.count;
    let cum = 0;
    const B = RangeObserver.BINS;
    for (let i = 0; i < B; i++) {
      cum += this.hist[i];
      if (cum >= target) return Math.min(this.absMax, ((i + 1) / B) * this.range);
    }
    return this.absMax;
  }
}

/** The values of a uint8 tensor as floats: (q − zeroPoint) × scale. */
export function dequantize(q: ArrayLike<number>, scale: number, zeroPoint: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = (q[i] - zeroPoint) * scale;
  return out;
}

/**
 * How far a quantized tensor is from its float reference, summed over samples: SQNR (dB) =
 * 10·log10(Σx² / Σ(x − x̂)²) and cosine similarity Σx·x̂ / (‖x‖·‖x̂‖). Null where undefined (no
 * error at all, or a zero tensor).
 */
export class ErrorAccumulator {
  private signal = 0;
  private noise = 0;
  private dot = 0;
  private testNorm = 0;
  add(ref: ArrayLike<number>, test: ArrayLike<number>): void {
    if (ref.length !== test.length) throw new Error(`cannot compare tensors of ${ref.length} and ${test.length} values`);
    for (let i = 0; i < ref.length; i++) {
      const x = ref[i];
      const y = test[i];
      this.signal += x * x;
      this.noise += (x - y) * (x - y);
      this.dot += x * y;
      this.testNorm += y * y;
    }
  }
  result(): { sqnrDb: number | null; cosine: number | null } {
    const sqnrDb = this.noise > 0 && this.signal > 0 ? 10 * Math.log10(this.signal / this.noise) : null;
    const cosine = this.signal > 0 && this.testNorm > 0 ? this.dot / Math.sqrt(this.signal * this.testNorm) : null;
    return { sqnrDb, cosine };
  }
}
