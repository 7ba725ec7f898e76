/**
 * The network of model.ts as an ONNX model (ModelProto bytes), as HAT's float model runs it at
 * inference (MIXVARGENET.md §3), with every BatchNorm folded into its conv (a bias per output channel):
 *
 *   stem: Conv 3x3/s2 (no ReLU)
 *   block: Conv conv1 → Relu → Conv conv2; shortcut Conv 1x1 or identity; Add;
 *          then Relu — or, when the head received fusion maps: the fusion convs' outputs Added one
 *          after another, then one Relu; received maps but no fusion layers: no Relu at all
 *   stage: head block, stack blocks, then the chain of downsample convs (3x3/s2, no activation)
 *          whose outputs the next stage's head receives (stage.received / FusionInput.map)
 *   head (include_top): Conv 1x1 → Relu → AveragePool 7x7/s1 → Conv 1x1 → Reshape(-1, num_classes)
 *          (no Reshape when flat_output=False); without the top: the outputs are the stage
 *          outputs listed in net.outputs.
 *
 * Weights are pseudo-random, deterministic per network structure (and an optional seed): the model is
 * for measuring speed and for looking at the graph, not for accuracy.
 *
 * Pure: no vscode, no node built-ins.
 */
import { onnx } from 'onnx-proto';
import { allConvs, type Conv, type FusionMap, type Network, type Shape } from '../model';
import { hash53, mulberry32 } from './random';

export { hash53, mulberry32 } from './random';

export const ONNX_OPSET = 13;
/** IR version of the onnx.proto the encoder was generated from (onnx 1.10); ORT 1.x reads IR 3..11. */
export const ONNX_IR_VERSION = 8;
export const INPUT_NAME = 'input';
export const LOGITS_NAME = 'logits';

export interface OnnxBuildOptions {
  /** Mixed into the structure-derived seed (default 0). */
  seed?: number;
  /** A fixed batch size; undefined gives a symbolic "batch" dimension. */
  batch?: number;
  /** Build the classifier head; default: the network's own include_top. */
  includeTop?: boolean;
}

export interface OnnxTensorInfo {
  name: string;
  /** Dimensions; a string is a symbolic dimension. */
  dims: (number | string)[];
}

export interface OnnxModel {
  bytes: Uint8Array;
  input: OnnxTensorInfo;
  outputs: OnnxTensorInfo[];
  /** The seed the weights were drawn with (structure hash mixed with options.seed). */
  seed: number;
  /** Hash of everything that shapes the graph (hex); equal structures give equal bytes. */
  structureHash: string;
  convCount: number;
  /** Conv weight elements (cout·cin/groups·k·k summed), biases excluded. */
  weightElements: number;
  /** Every node name, in graph order. */
  nodeNames: string[];
}

export class OnnxBuildError extends Error {
  constructor(readonly reasons: string[]) {
    super(`cannot build an ONNX model of this network: ${reasons.join('; ')}`);
    this.name = 'OnnxBuildError';
  }
}

/** Why this network cannot be built as ONNX (empty when it can). */
export function onnxBlockers(net: Network, includeTop = net.args.includeTop): string[] {
  const out: string[] = [];
  if (!net.exact) out.push('the network is not fully known (an unknown value, or something HAT would refuse to build)');
  if (!net.routingKnown) out.push('the fusion routing cannot be followed through every stage');
  if (!net.stem) out.push('there is no stem (stage 0 in_channels unknown)');
  const convs: Conv[] = [];
  if (net.stem) convs.push(net.stem);
  for (const s of net.stages) {
    if (s.unknown.length) out.push(`stage ${s.index}: ${s.unknown.join(', ')}`);
    if (!s.outShape) out.push(`stage ${s.index}: output shape unknown`);
    for (const b of s.blocks) {
      convs.push(b.conv1, b.conv2);
      if (b.shortcut) convs.push(b.shortcut);
      if (b.fusion.length > 0) {
        const got = s.received?.length ?? 0;
        if (b.index !== 0 || !s.received || got !== b.fusion.length)
          out.push(`${b.id}: ${b.fusion.length} fusion layer(s) but ${got} map(s) arrive (HAT's assert fails)`);
        for (const f of b.fusion) {
          if (!f.conv) out.push(`${b.id}.fusion${f.index}: the fusion conv cannot be known`);
          else convs.push(f.conv);
          if (f.crash) out.push(`${b.id}.fusion${f.index}: ${f.problem ?? 'crashes'}`);
          if (!f.map) out.push(`${b.id}.fusion${f.index}: no map arrives`);
        }
      }
    }
    convs.push(...s.downsamples);
  }
  if (includeTop) {
    if (!net.head) out.push('include_top but there is no classifier head');
    else {
      convs.push(net.head.fc, net.head.cls);
      if (net.head.pool.problem) out.push(`head: ${net.head.pool.problem}`);
      if (net.args.numClasses === null || !(net.args.numClasses > 0)) out.push('num_classes is not a known positive int');
    }
    const last = net.stages[net.stages.length - 1];
    if (last && last.emits.length > 0) out.push(`the last stage emits ${last.emits.length} downsample(s): the classifier head receives a list and crashes`);
  } else if (backboneOutputs(net).length === 0) out.push('without the top, output_list selects no stage: the model would have no output');
  for (const c of convs) {
    if (c.problem) out.push(`${c.id}: ${c.problem}`);
    else if (!c.inShape || !c.outShape) out.push(`${c.id}: shape unknown`);
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// Deterministic numbers.
// ---------------------------------------------------------------------------------------------

/** Everything that shapes the ONNX graph, as one string (input, every conv, routing, relus, head, outputs). */
export function structureKey(net: Network, includeTop = net.args.includeTop): string {
  const conv = (c: Conv) => `${c.id}:${c.cin}>${c.cout}k${c.k}s${c.stride}p${c.pad}g${c.groups}`;
  const map = (m: FusionMap) => `${m.fromStage}x${m.scale}`;
  const parts: string[] = [`in:${net.input[2]}x${net.input[3]}`];
  if (net.stem) parts.push(conv(net.stem));
  for (const s of net.stages) {
    parts.push(`S${s.index}:${s.received ? `[${s.received.map(map).join(',')}]` : '-'}`);
    for (const b of s.blocks) {
      parts.push(conv(b.conv1), conv(b.conv2), b.shortcut ? conv(b.shortcut) : 'id', `relu:${b.finalRelu}`);
      for (const f of b.fusion) parts.push(`${f.conv ? conv(f.conv) : '?'}<${f.map ? map(f.map) : '?'}`);
    }
    parts.push(...s.downsamples.map(conv));
  }
  if (includeTop && net.head) parts.push(conv(net.head.fc), `pool${net.head.pool.k}`, conv(net.head.cls), `flat:${net.args.flatOutput}:${net.args.numClasses}`);
  else parts.push(`out:${net.outputs.join(',')}`);
  return parts.join('|');
}

// ---------------------------------------------------------------------------------------------
// The graph.
// ---------------------------------------------------------------------------------------------

const F32 = onnx.TensorProto.DataType.FLOAT;
const I64 = onnx.TensorProto.DataType.INT64;
const AT = onnx.AttributeProto.AttributeType;

function ints(name: string, v: number[]): onnx.IAttributeProto {
  return { name, type: AT.INTS, ints: v };
}
function int(name: string, v: number): onnx.IAttributeProto {
  return { name, type: AT.INT, i: v };
}

export function f32Bytes(a: Float32Array): Uint8Array {
  // raw_data is little-endian; every platform ORT runs on is little-endian, so the view is exact.
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Weight gains keep activations O(1) through ~20 residual adds (He-uniform times a gain): the branch
 * that is added to a residual stream starts smaller, so the sum does not double per block. What matters
 * for timing is only that values stay finite and far from denormals.
 */
function gainOf(c: Conv): number {
  switch (c.role) {
    case 'conv2':
      return 0.5;
    case 'fusion':
      return 0.35;
    case 'shortcut':
      return 0.7;
    default:
      return 1;
  }
}

/**
 * One conv of the plan: the model's Conv without what the plan does not carry (its role and
 * BN/bias/ReLU flags are folded into the steps; shapes, costs and problems stay with the model),
 * plus the weight scale (the weights are drawn when encoding).
 */
export interface PlanConv extends Omit<Conv, 'role' | 'bias' | 'bn' | 'relu' | 'inShape' | 'outShape' | 'params' | 'macs' | 'problem'> {
  gain: number;
}

export type PlanStep =
  /** Conv node named conv.id, output value conv.id, initializers conv.id.weight and conv.id.bias. */
  | { kind: 'conv'; conv: PlanConv; input: string }
  /** Any other node; its output value is `output` or else its name. */
  | { kind: 'op'; opType: string; name: string; inputs: string[]; ints?: Record<string, number[]>; output?: string }
  /** An int64 initializer (Reshape's shape). */
  | { kind: 'int64'; name: string; values: number[] };

/**
 * The graph without its weights: small, JSON-serialisable, cheap to make. encodeOnnx() draws the weights
 * and writes the protobuf (the costly part), so the timing worker can do that off the caller's thread.
 */
export interface OnnxPlan {
  version: 1;
  steps: PlanStep[];
  input: OnnxTensorInfo;
  outputs: OnnxTensorInfo[];
  seed: number;
  structureHash: string;
  /** The value each stage ends with (its last block's output), by stage index: the int8 error is measured there. */
  stageOutputs?: string[];
}

/** Stages the backbone returns without the top (all, or those in output_list). */
function backboneOutputs(net: Network): number[] {
  if (!net.args.includeTop) return net.outputs;
  const ol = net.args.outputList;
  return net.stages.map((s) => s.index).filter((i) => !ol || ol.length === 0 || ol.includes(i));
}

/** The graph of the network (see the file comment); throws OnnxBuildError when it cannot be built. */
export function planOnnx(net: Network, options: OnnxBuildOptions = {}): OnnxPlan {
  const includeTop = options.includeTop ?? net.args.includeTop;
  const blockers = onnxBlockers(net, includeTop);
  if (blockers.length) throw new OnnxBuildError(blockers);
  if (options.batch !== undefined && !(Number.isInteger(options.batch) && options.batch > 0))
    throw new OnnxBuildError([`batch must be a positive integer (got ${options.batch})`]);
  const tooBig = sizeProblem(planSize(net), options.batch ?? 1);
  if (tooBig) throw new OnnxBuildError([tooBig]);
  const structureHash = hash53(structureKey(net, includeTop));
  const seed = seedFor(structureHash, options.seed);
  const steps: PlanStep[] = [];
  const op = (opType: string, name: string, inputs: string[], ints?: Record<string, number[]>): string => {
    steps.push({ kind: 'op', opType, name, inputs, ints });
    return name;
  };
  const conv = (c: Conv, input: string): string => {
    steps.push({ kind: 'conv', conv: { id: c.id, cin: c.cin, cout: c.cout, k: c.k, stride: c.stride, pad: c.pad, groups: c.groups, gain: gainOf(c) }, input });
    return c.relu ? op('Relu', `${c.id}.relu`, [c.id]) : c.id;
  };
  const batchDim: number | string = options.batch ?? 'batch';
  const stem = net.stem!;
  const inputDims: (number | string)[] = [batchDim, stem.cin, net.input[2], net.input[3]];

  let x = conv(stem, INPUT_NAME);
  const stageOut: string[] = [];
  const mapValue = (m: FusionMap) => `stage${m.fromStage}.downsample${Math.log2(m.scale) - 1}`;
  for (const s of net.stages) {
    for (const b of s.blocks) {
      const identity = b.shortcut ? conv(b.shortcut, x) : x;
      const y = conv(b.conv2, conv(b.conv1, x));
      let out = op('Add', `${b.id}.add`, [y, identity]);
      for (const f of b.fusion) {
        const fz = conv(f.conv!, mapValue(f.map!));
        out = op('Add', `${b.id}.fusion${f.index}.add`, [fz, out]);
      }
      if (b.finalRelu) out = op('Relu', `${b.id}.relu`, [out]);
      x = out;
    }
    stageOut.push(x);
    let d = x;
    for (const c of s.downsamples) d = conv(c, d);
  }

  const outputs: OnnxTensorInfo[] = [];
  if (includeTop) {
    const h = net.head!;
    const fc = conv(h.fc, x);
    const pooled = op('AveragePool', 'head.pool', [fc], { kernel_shape: [h.pool.k, h.pool.k], strides: [1, 1] });
    const cls = conv(h.cls, pooled);
    const nc = net.args.numClasses!;
    if (net.args.flatOutput) {
      steps.push({ kind: 'int64', name: 'head.flatten.shape', values: [-1, nc] });
      steps.push({ kind: 'op', opType: 'Reshape', name: 'head.flatten', inputs: [cls, 'head.flatten.shape'], output: LOGITS_NAME });
      const rows = h.rowsPerImage ?? 1;
      outputs.push({ name: LOGITS_NAME, dims: [typeof batchDim === 'number' ? batchDim * rows : rows === 1 ? batchDim : `${batchDim}*${rows}`, nc] });
    } else {
      op('Identity', LOGITS_NAME, [cls]);
      const po = h.cls.outShape as Shape;
      outputs.push({ name: LOGITS_NAME, dims: [batchDim, nc, po[1], po[2]] });
    }
  } else {
    for (const k of backboneOutputs(net)) {
      const name = `stage${k}.output`;
      op('Identity', name, [stageOut[k]]);
      const sh = net.stages[k].outShape as Shape;
      outputs.push({ name, dims: [batchDim, sh[0], sh[1], sh[2]] });
    }
  }
  return { version: 1, steps, input: { name: INPUT_NAME, dims: inputDims }, outputs, seed, structureHash, stageOutputs: stageOut };
}

/** The seed the weights of a structure are drawn with: its hash mixed with the caller's seed. */
function seedFor(structureHash: string, seed = 0): number {
  return (parseInt(structureHash.slice(-8), 16) ^ seed) >>> 0;
}

/**
 * What timing and exporting need of a network, as plain data: the analysis service makes it from the
 * document's analysed version (it crosses the worker boundary by structured clone), so the editor never
 * analyses a file a second time. `graph` has a symbolic batch and the structure's own seed;
 * specializePlan() fixes both for one measurement.
 */
export interface NetworkPlan {
  kind: 'network-plan';
  graph: OnnxPlan;
  macs: number | null;
  includeTop: boolean;
  stageCount: number;
  size: PlanSize;
}

/** What the model would take in memory, per image: its fp32 weights (biases included) and its largest tensor. */
export interface PlanSize {
  weightElements: number;
  /** The largest activation tensor of one image (elements): the input or a conv's output. */
  maxActivationElements: number;
}

/**
 * What timing or exporting may allocate (fp32): beyond this the weights are not drawn, the model not written and
 * no process started — a config with 10^5 channels says so at once instead of filling the machine's memory.
 */
export const ONNX_BUDGET = { weightBytes: 1024 * 1024 * 1024, activationBytes: 1024 * 1024 * 1024 } as const;

export function planSize(net: Network): PlanSize {
  const head = net.head && !net.args.includeTop ? [net.head.fc, net.head.cls] : [];
  const convs = allConvs(net).filter((c) => !head.includes(c));
  let weightElements = 0;
  let maxActivationElements = net.input[1] * net.input[2] * net.input[3];
  for (const c of convs) {
    weightElements += c.cout * (c.cin / c.groups) * c.k * c.k + c.cout;
    if (c.outShape) maxActivationElements = Math.max(maxActivationElements, c.outShape[0] * c.outShape[1] * c.outShape[2]);
  }
  return { weightElements, maxActivationElements };
}

/** Why a model of this size is not built at this batch (undefined: within ONNX_BUDGET). */
export function sizeProblem(size: PlanSize, batch = 1): string | undefined {
  const mb = (b: number) => `${(b / 1e6).toFixed(b >= 1e9 ? 0 : 1)} MB`;
  const w = size.weightElements * 4;
  if (w > ONNX_BUDGET.weightBytes) return `the model's fp32 weights would take ${mb(w)} (${size.weightElements.toLocaleString('en-US')} values), over the ${mb(ONNX_BUDGET.weightBytes)} budget for building it here`;
  const a = size.maxActivationElements * batch * 4;
  if (a > ONNX_BUDGET.activationBytes) return `its largest activation at batch ${batch} would take ${mb(a)}, over the ${mb(ONNX_BUDGET.activationBytes)} budget for running it here`;
  return undefined;
}

/** The network's plan; throws OnnxBuildError when it cannot be built (including over ONNX_BUDGET at batch 1). */
export function networkPlan(net: Network): NetworkPlan {
  return { kind: 'network-plan', graph: planOnnx(net), macs: net.macs, includeTop: net.args.includeTop, stageCount: net.stages.length, size: planSize(net) };
}

/** The network plan for one measurement or export (batch, seed), within ONNX_BUDGET at that batch. */
export function planFor(np: NetworkPlan, options: { batch?: number; seed?: number } = {}): OnnxPlan {
  const tooBig = sizeProblem(np.size, options.batch ?? 1);
  if (tooBig) throw new OnnxBuildError([tooBig]);
  return specializePlan(np.graph, options);
}

/** A symbolic-batch plan for one batch size and seed: equal to planOnnx(net, {batch, seed}) (a unit test checks it). */
export function specializePlan(plan: OnnxPlan, options: { batch?: number; seed?: number } = {}): OnnxPlan {
  const { batch } = options;
  if (batch !== undefined && !(Number.isInteger(batch) && batch > 0)) throw new OnnxBuildError([`batch must be a positive integer (got ${batch})`]);
  const dim = (d: number | string): number | string => {
    if (batch === undefined || typeof d === 'number') return d;
    if (d === 'batch') return batch;
    const rows = /^batch\*(\d+)$/.exec(d);
    return rows ? batch * Number(rows[1]) : d;
  };
  const info = (t: OnnxTensorInfo): OnnxTensorInfo => ({ name: t.name, dims: t.dims.map(dim) });
  return { ...plan, input: info(plan.input), outputs: plan.outputs.map(info), seed: seedFor(plan.structureHash, options.seed) };
}

export function valueInfo(name: string, dims: (number | string)[], elemType = F32): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** One conv's weights and bias, drawn from `rnd` (He-uniform × gain, bias ±0.05): the one drawing both encoders share. */
export function drawConvWeights(c: PlanConv, rnd: () => number): { w: Float32Array; b: Float32Array } {
  const fanIn = (c.cin / c.groups) * c.k * c.k;
  const n = c.cout * fanIn;
  const w = new Float32Array(n);
  const bound = c.gain * Math.sqrt(6 / fanIn);
  for (let i = 0; i < n; i++) w[i] = (rnd() * 2 - 1) * bound;
  const b = new Float32Array(c.cout);
  for (let i = 0; i < c.cout; i++) b[i] = (rnd() * 2 - 1) * 0.05;
  return { w, b };
}

/** [cout, cin/groups, k, k] */
export function convWeightDims(c: PlanConv): number[] {
  return [c.cout, c.cin / c.groups, c.k, c.k];
}

/** The Conv node of a plan conv (named conv.id). */
export function convNode(c: PlanConv, input: string[], output: string): onnx.INodeProto {
  return {
    name: c.id,
    opType: 'Conv',
    input,
    output: [output],
    attribute: [
      ints('kernel_shape', [c.k, c.k]),
      ints('strides', [c.stride, c.stride]),
      ints('pads', [c.pad, c.pad, c.pad, c.pad]),
      ints('dilations', [1, 1]),
      int('group', c.groups),
    ],
  };
}

/** An ONNX node of a plan's 'op' step, its inputs as given. */
export function opNode(st: Extract<PlanStep, { kind: 'op' }>, inputs: string[]): onnx.INodeProto {
  const attribute = Object.entries(st.ints ?? {}).map(([k, v]) => ints(k, v));
  return { name: st.name, opType: st.opType, input: inputs, output: [st.output ?? st.name], attribute };
}

/** Reshape's shape initializer of a plan's 'int64' step. */
export function int64Init(st: Extract<PlanStep, { kind: 'int64' }>): onnx.ITensorProto {
  const a = new BigInt64Array(st.values.map((v) => BigInt(v)));
  return { name: st.name, dataType: I64, dims: [st.values.length], rawData: new Uint8Array(a.buffer) };
}

/** The ModelProto of a graph in the builder's form (IR, opset, producer, metadata); `extraMeta` adds properties. */
export function modelBytes(plan: OnnxPlan, nodes: onnx.INodeProto[], inits: onnx.ITensorProto[], outputs: onnx.IValueInfoProto[], docString: string, extraMeta: Record<string, string> = {}): Uint8Array {
  const graph: onnx.IGraphProto = {
    name: 'MixVarGENet',
    node: nodes,
    initializer: inits,
    input: [valueInfo(plan.input.name, plan.input.dims)],
    output: outputs,
    docString,
  };
  const model: onnx.IModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'mixvargenet-studio',
    producerVersion: '0.1',
    modelVersion: 1,
    docString: `structure ${plan.structureHash}, seed ${plan.seed}`,
    graph,
    metadataProps: [
      { key: 'mvg.structure', value: plan.structureHash },
      { key: 'mvg.seed', value: String(plan.seed) },
      { key: 'mvg.weights', value: 'pseudo-random: measures speed, not accuracy' },
      ...Object.entries(extraMeta).map(([key, value]) => ({ key, value })),
    ],
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/**
 * Draw the weights of a plan (mulberry32 from plan.seed, in step order) and encode the ModelProto.
 * `extraOutputs` (calibration) also makes these intermediate values graph outputs (float, shape left to ORT).
 */
export function encodeOnnx(plan: OnnxPlan, extraOutputs: string[] = []): OnnxModel {
  const rnd = mulberry32(plan.seed);
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  let convCount = 0;
  let weightElements = 0;
  for (const st of plan.steps) {
    if (st.kind === 'conv') {
      const c = st.conv;
      const { w, b } = drawConvWeights(c, rnd);
      const wn = `${c.id}.weight`;
      const bn = `${c.id}.bias`;
      inits.push({ name: wn, dataType: F32, dims: convWeightDims(c), rawData: f32Bytes(w) });
      inits.push({ name: bn, dataType: F32, dims: [c.cout], rawData: f32Bytes(b) });
      nodes.push(convNode(c, [st.input, wn, bn], c.id));
      convCount++;
      weightElements += w.length;
    } else if (st.kind === 'int64') {
      inits.push(int64Init(st));
    } else {
      nodes.push(opNode(st, st.inputs));
    }
  }
  const outputs = [...plan.outputs.map((o) => valueInfo(o.name, o.dims)), ...extraOutputs.map((name) => ({ name, type: { tensorType: { elemType: F32 } } }))];
  const bytes = modelBytes(plan, nodes, inits, outputs, 'MixVarGENet as HAT builds it from the config, BatchNorm folded into the convs. Weights are pseudo-random (for timing, not accuracy).');
  return {
    bytes,
    input: plan.input,
    outputs: plan.outputs,
    seed: plan.seed,
    structureHash: plan.structureHash,
    convCount,
    weightElements,
    nodeNames: nodes.map((n) => n.name as string),
  };
}

/** Build the ONNX model with its facts; throws OnnxBuildError when the network cannot be built. */
export function buildOnnxModel(net: Network, options: OnnxBuildOptions = {}): OnnxModel {
  return encodeOnnx(planOnnx(net, options));
}

/** The ONNX ModelProto bytes of the network (see buildOnnxModel). */
export function buildOnnx(net: Network, options: OnnxBuildOptions = {}): Uint8Array {
  return buildOnnxModel(net, options).bytes;
}
