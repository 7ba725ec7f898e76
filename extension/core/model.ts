/**
 * The network HAT's MixVarGENet builds from a config, rebuilt layer by layer (MIXVARGENET.md §3):
 * every conv with its widths, kernel, stride, groups, bias and shapes, the fusion routing, and
 * the cost of everything (params as PyTorch counts them, MACs of every conv).
 *
 * The builder never throws on a bad config: it records what HAT would trip on as facts
 * (conv.problem, block.fusion mismatches, network.faults) for the rules to report.
 */
import type { Range } from './text';
import type { Extracted, StageEntry } from './extract';
import type { OpSpec, OpTable } from './schema';
import { type ConfigValue, isSeq, type Value } from './python/values';
import { fmtShape } from './format';

/** C, H, W of one image's feature map. */
export type Shape = [number, number, number];

export type ConvRole = 'stem' | 'conv1' | 'conv2' | 'shortcut' | 'fusion' | 'downsample' | 'head_fc' | 'head_cls';

export interface Conv {
  /** Stable id, e.g. "stage2.block0.conv1"; ONNX node names and graph nodes use it. */
  id: string;
  role: ConvRole;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: number;
  groups: number;
  bias: boolean;
  bn: boolean;
  relu: boolean;
  inShape: Shape | null;
  outShape: Shape | null;
  /** Parameters (weight + bias + BN weight and bias); null when PyTorch would refuse to build the conv. */
  params: number | null;
  /** Multiply-accumulates per image; null when a shape is unknown or the conv is invalid. */
  macs: number | null;
  /** Why nn.Conv2d would refuse this conv (groups, widths), if it would. */
  problem?: string;
}

export interface FusionMap {
  /** Stage whose output was downsampled. */
  fromStage: number;
  /** 2, 4 or 8: how many times it was downsampled by 2. */
  scale: 2 | 4 | 8;
  channels: number;
  shape: Shape | null;
  /** Canonical stride of the source stage's output (2^(stage+1) in the canonical layout, else the actual one). */
  sourceStride: number | null;
}

export interface FusionInput {
  /** Position in fusion_strides. */
  index: number;
  /** The fusion_strides entry. */
  stride: number | null;
  /** Stage HAT takes the fusion conv's input width from: int(log2(stride) - 1), Python indexing. */
  namedStage: number | null;
  /** Input width of the fusion conv as HAT builds it (that stage's out_channels). */
  expectedChannels: number | null;
  /** The map that actually arrives at this position, if any. */
  map?: FusionMap;
  conv: Conv | null;
  /** Why this fusion input crashes or differs from what it names. */
  problem?: string;
  crash?: boolean;
}

export interface Block {
  id: string;
  /** Position in the stage: 0 is the head. */
  index: number;
  role: 'head' | 'stack';
  op: string;
  opSpec?: OpSpec;
  /** Where the op string is written. */
  opRange?: Range;
  cin: number;
  cout: number;
  mid: number;
  stride: number;
  conv1: Conv;
  conv2: Conv;
  shortcut: Conv | null;
  fusion: FusionInput[];
  /** The head received a list (previous stage emitted downsamples). */
  receivesList: boolean;
  /** The block ends with a ReLU (false when it received maps and has no fusion layers). */
  finalRelu: boolean;
  inShape: Shape | null;
  outShape: Shape | null;
  params: number | null;
  macs: number | null;
}

export interface Stage {
  index: number;
  config?: ConfigValue;
  /** Range of the stage item in net_config. */
  range: Range;
  /** Range of the MixVarGENetConfig call. */
  callRange?: Range;
  inChannels: number | null;
  outChannels: number | null;
  stride: number | null;
  headOp: string | null;
  stackOps: string[];
  stackFactor: number | null;
  fusionStrides: (number | null)[];
  extraDownsampleNum: number | null;
  blocks: Block[];
  downsamples: Conv[];
  /** Maps this stage emits for fusion (its downsamples' outputs). */
  emits: FusionMap[];
  /** What the stage's head receives: the maps after x, or none when a plain tensor arrives. */
  received: FusionMap[] | null;
  inShape: Shape | null;
  outShape: Shape | null;
  /** Input-to-output stride after this stage. */
  outputStride: number | null;
  params: number | null;
  macs: number | null;
  /** Parameters and MACs of what could be built, even when something is unknown. */
  knownParams: number;
  knownMacs: number;
  /** Elements of the stage's output map (per image). */
  outputElems: number | null;
  /** Elements written by all convs of the stage (per image): a measure of its activation traffic. */
  activationElems: number | null;
  /** Why the stage cannot be fully modelled. */
  unknown: string[];
}

export interface Head {
  fc: Conv;
  pool: { k: number; inShape: Shape | null; outShape: Shape | null; problem?: string };
  cls: Conv;
  /** Rows view(-1, num_classes) makes per image (1 when the pooled map is 1x1). */
  rowsPerImage: number | null;
  params: number | null;
  macs: number | null;
}

export interface BackboneArgs {
  numClasses: number | null;
  bias: boolean;
  includeTop: boolean;
  flatOutput: boolean;
  fcFilter: number;
  inputChannels: number;
  inputSequenceLength: number;
  outputList: number[] | null;
  /** A value could not be known; dependent facts are skipped. */
  unknownArgs: string[];
}

export interface Fault {
  kind: string;
  message: string;
  stage?: number;
}

export interface Network {
  input: [number, number, number, number];
  inputSource: Extracted['input']['source'];
  args: BackboneArgs;
  stem: Conv | null;
  stages: Stage[];
  head: Head | null;
  /** What the backbone returns without the top: indices of the stages whose outputs are returned. */
  outputs: number[];
  params: number | null;
  macs: number | null;
  knownParams: number;
  knownMacs: number;
  /** Every number is known (no unknown values, nothing HAT would refuse to build). */
  exact: boolean;
  /** The routing of fusion maps could be followed through every stage. */
  routingKnown: boolean;
}

function outSize(h: number, k: number, s: number, p: number): number {
  return Math.floor((h + 2 * p - k) / s) + 1;
}

function isPosInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

/** Build one conv, checking what nn.Conv2d checks, and cost it. */
export function makeConv(
  id: string,
  role: ConvRole,
  cin: number,
  cout: number,
  k: number,
  stride: number,
  pad: number,
  groups: number,
  bias: boolean,
  bn: boolean,
  relu: boolean,
  inShape: Shape | null,
): Conv {
  let problem: string | undefined;
  if (!isPosInt(cin) || !isPosInt(cout)) problem = `channels must be positive integers (got ${cin}→${cout})`;
  else if (!Number.isInteger(groups) || groups <= 0) problem = `groups must be a positive integer (got ${groups})`;
  else if (!Number.isInteger(stride) || stride <= 0) problem = `stride must be a positive integer (got ${stride})`;
  else if (cin % groups !== 0) problem = `in_channels ${cin} is not divisible by groups ${groups}`;
  else if (cout % groups !== 0) problem = `out_channels ${cout} is not divisible by groups ${groups}`;
  let params: number | null = null;
  if (!problem) params = cout * (cin / groups) * k * k + (bias ? cout : 0) + (bn ? 2 * cout : 0);
  let outShape: Shape | null = null;
  if (inShape && Number.isInteger(stride) && stride > 0) {
    const h = outSize(inShape[1], k, stride, pad);
    const w = outSize(inShape[2], k, stride, pad);
    if (h > 0 && w > 0) outShape = [cout, h, w];
    else problem = problem ?? `the ${inShape[1]}x${inShape[2]} input is too small for a ${k}x${k} kernel`;
  }
  const macs = params !== null && outShape ? cout * (cin / groups) * k * k * outShape[1] * outShape[2] : null;
  return { id, role, cin, cout, k, stride, pad, groups, bias, bn, relu, inShape, outShape, params, macs, problem };
}

/** The convs of one BasicMixVarGEBlock (cin → cout at stride s) for an op's settings. */
export function blockConvs(
  id: string,
  spec: OpSpec,
  cin: number,
  cout: number,
  s: number,
  inShape: Shape | null,
  bias: boolean,
): Pick<Block, 'mid' | 'conv1' | 'conv2' | 'shortcut'> & { g1: number; g2: number } {
  const at = (name: string) => (id ? `${id}.${name}` : name);
  const mid = spec.factor === 1 ? cout : Math.trunc(cin * spec.factor);
  const g1 = spec.conv1_group_base ? Math.trunc(cin / spec.conv1_group_base) : 1;
  const g2 = spec.conv2_group_base ? Math.trunc(cout / spec.conv2_group_base) : 1;
  const conv1 = makeConv(at('conv1'), 'conv1', cin, mid, 3, s, 1, g1, bias, true, true, inShape);
  const conv2 = makeConv(at('conv2'), 'conv2', mid, cout, spec.conv2_kernel_size, 1, spec.padding, g2, bias, true, false, conv1.outShape);
  const needShortcut = !!spec.merge_branch || !(s === 1 && cin === cout);
  const shortcut = needShortcut ? makeConv(at('shortcut'), 'shortcut', cin, cout, 1, s, 0, 1, true, true, false, inShape) : null;
  return { mid, g1, g2, conv1, conv2, shortcut };
}

/** Widths of stack block i of n under stack_factor (MixVarGEBlock). */
export function stackWidths(outChannels: number, factor: number, i: number, n: number): { cin: number; cout: number } {
  if (n <= 1) return { cin: outChannels, cout: outChannels };
  if (i === 0) return { cin: outChannels, cout: factor * outChannels };
  if (i === n - 1) return { cin: factor * outChannels, cout: outChannels };
  return { cin: factor * outChannels, cout: factor * outChannels };
}

/**
 * What the next head receives after x (MixVarGENet._handle_fusion_data): [8x[i−2], 4x[i−1], 2x[i]], each
 * only where the index exists; i = stage index − the first stage that emitted maps.
 */
export function routeMaps<T>(d2: T[], d4: T[], d8: T[], i: number): T[] {
  const next: T[] = [];
  if (i - 2 >= 0 && i - 2 < d8.length) next.push(d8[i - 2]);
  if (i - 1 >= 0 && i - 1 < d4.length) next.push(d4[i - 1]);
  if (i >= 0 && i < d2.length) next.push(d2[i]);
  return next;
}

/** The maps stages have emitted so far, by scale, and the first stage that emitted any. */
export interface EmittedMaps {
  start: number | null;
  d2: FusionMap[];
  d4: FusionMap[];
  d8: FusionMap[];
}

/** Add a stage's emits to the maps; returns what the next head receives after x (null: a plain tensor arrives). */
export function pushEmits(maps: EmittedMaps, stageIndex: number, emits: FusionMap[]): FusionMap[] | null {
  if (emits.length === 0) return null;
  if (maps.start === null) maps.start = stageIndex;
  maps.d2.push(emits[0]);
  if (emits.length > 1) maps.d4.push(emits[1]);
  if (emits.length > 2) maps.d8.push(emits[2]);
  return routeMaps(maps.d2, maps.d4, maps.d8, stageIndex - maps.start);
}

function sum(xs: (number | null)[]): number | null {
  let t = 0;
  for (const x of xs) {
    if (x === null) return null;
    t += x;
  }
  return t;
}

function sumKnown(xs: (number | null)[]): number {
  let t = 0;
  for (const x of xs) if (x !== null) t += x;
  return t;
}

function intOf(v: Value | undefined): number | null {
  return v && v.k === 'int' ? v.v : null;
}

function boolOf(v: Value | undefined, dflt: boolean, name: string, unknownArgs: string[]): boolean {
  if (!v) return dflt;
  if (v.k === 'bool') return v.v;
  if (v.k === 'int') return v.v !== 0;
  if (v.k === 'none') return false;
  unknownArgs.push(name);
  return dflt;
}

export function backboneArgs(ex: Extracted): BackboneArgs {
  const e = ex.backbone?.entries;
  const unknownArgs: string[] = [];
  const get = (k: string) => e?.get(k)?.value;
  const numV = get('num_classes');
  const numClasses = intOf(numV);
  if (numV && numClasses === null) unknownArgs.push('num_classes');
  const intArg = (k: string, d: number) => {
    const v = get(k);
    if (!v) return d;
    const n = intOf(v);
    if (n === null) {
      unknownArgs.push(k);
      return d;
    }
    return n;
  };
  let outputList: number[] | null = [];
  const ol = get('output_list');
  if (ol) {
    if (isSeq(ol) && ol.items.every((i) => i.k === 'int')) outputList = ol.items.map((i) => (i as { v: number }).v);
    else {
      outputList = null;
      unknownArgs.push('output_list');
    }
  }
  return {
    numClasses,
    bias: boolOf(get('bias'), false, 'bias', unknownArgs),
    includeTop: boolOf(get('include_top'), true, 'include_top', unknownArgs),
    flatOutput: boolOf(get('flat_output'), true, 'flat_output', unknownArgs),
    fcFilter: intArg('fc_filter', 1024),
    inputChannels: intArg('input_channels', 3),
    inputSequenceLength: intArg('input_sequence_length', 1),
    outputList,
    unknownArgs,
  };
}

interface ResolvedStage {
  entry: StageEntry;
  cfg?: ConfigValue;
  inChannels: number | null;
  outChannels: number | null;
  stride: number | null;
  headOp: string | null;
  headOpRange?: Range;
  stackOps: (string | null)[];
  stackOpRanges: (Range | undefined)[];
  stackFactor: number | null;
  fusionStrides: (number | null)[] | null;
  extraDownsampleNum: number | null;
  unknown: string[];
}

function resolveStage(entry: StageEntry): ResolvedStage {
  const cfg = entry.configs[0];
  const unknown: string[] = [];
  const field = (name: string): Value | undefined => cfg?.args.get(name)?.value;
  const int = (name: string, dflt: number | null): number | null => {
    const v = field(name);
    if (!v) {
      if (dflt === null) unknown.push(`${name} is missing`);
      return dflt;
    }
    if (v.k === 'int') return v.v;
    if (v.k === 'bool') return Number(v.v);
    unknown.push(v.k === 'unknown' ? `${name} cannot be known (${v.why})` : `${name} is not an int`);
    return null;
  };
  const headV = field('head_op');
  let headOp: string | null = null;
  if (headV?.k === 'str') headOp = headV.v;
  else unknown.push(headV ? 'head_op is not a known string' : 'head_op is missing');
  const stackV = field('stack_ops');
  const stackOps: (string | null)[] = [];
  const stackOpRanges: (Range | undefined)[] = [];
  if (stackV && isSeq(stackV)) {
    for (const i of stackV.items) {
      stackOps.push(i.k === 'str' ? i.v : null);
      stackOpRanges.push(i.r);
      if (i.k !== 'str') unknown.push('a stack op is not a known string');
    }
  } else if (stackV && stackV.k === 'none') {
    // len(None) fails in HAT; reported by the type rule.
    unknown.push('stack_ops is None');
  } else unknown.push(stackV ? 'stack_ops cannot be known' : 'stack_ops is missing');
  let fusionStrides: (number | null)[] | null = [];
  const fsV = field('fusion_strides');
  if (fsV) {
    if (isSeq(fsV)) fusionStrides = fsV.items.map((i) => (i.k === 'int' ? i.v : null));
    else if (fsV.k === 'none') fusionStrides = null;
    else fusionStrides = null;
    if (!fusionStrides || fusionStrides.some((s) => s === null)) unknown.push('fusion_strides cannot be known');
  }
  if (!cfg) unknown.push(entry.unknown ? 'the stage cannot be known' : 'the stage holds no MixVarGENetConfig');
  return {
    entry,
    cfg,
    inChannels: int('in_channels', null),
    outChannels: int('out_channels', null),
    stride: int('stride', null),
    headOp,
    headOpRange: headV?.r,
    stackOps,
    stackOpRanges,
    // With no config, or **kwargs we cannot expand, an absent field may still be set: no defaults then.
    stackFactor: int('stack_factor', cfg && !cfg.opaque ? 1 : null),
    fusionStrides: cfg && !cfg.opaque ? fusionStrides : cfg?.args.has('fusion_strides') ? fusionStrides : null,
    extraDownsampleNum: int('extra_downsample_num', cfg && !cfg.opaque ? 0 : null),
    unknown,
  };
}

/** Fusion routing carried from stage to stage (MixVarGENet._handle_fusion_data). */
interface Routing extends EmittedMaps {
  /** What the next stage's head receives after x (null: a plain tensor, or the routing is unknown). */
  received: FusionMap[] | null;
  /** The routing could be followed through every stage so far. */
  known: boolean;
  /** Input-to-output stride so far; null once a stage's stride is unknown. */
  stride: number | null;
}

/** What every stage is built with. */
interface NetContext {
  ops: OpTable;
  bias: boolean;
  stagesIn: ResolvedStage[];
}

/** What a stage's blocks are built with; problems they find go to the stage's `unknown`. */
interface BlockContext extends NetContext {
  stageId: string;
  unknown: string[];
}

/** The stem: input_channels * input_sequence_length → net_config[0][0].in_channels; null when that width is unknown. */
function buildStem(ex: Extracted, args: BackboneArgs, first: ResolvedStage): Conv | null {
  const stemOut = first.inChannels;
  if (stemOut === null) return null;
  const [, , hIn, wIn] = ex.input.shape;
  const stemCin = args.inputChannels * args.inputSequenceLength;
  // The image feeds the stem; a mismatch between input C and input_channels is a rule's business.
  return makeConv('stem', 'stem', stemCin, stemOut, 3, 2, 1, 1, args.bias, true, false, [stemCin, hIn, wIn]);
}

/** One BasicMixVarGEBlock of a stage, or null when its op or widths are unknown (an op outside the table is noted). */
function buildBlock(
  ctx: BlockContext,
  bi: number,
  role: 'head' | 'stack',
  op: string | null,
  opRange: Range | undefined,
  cin: number | null,
  cout: number | null,
  s: number,
  inS: Shape | null,
): Block | null {
  if (op === null || cin === null || cout === null) return null;
  const spec = ctx.ops.get(op);
  if (!spec) {
    ctx.unknown.push(`op "${op}" is not in the op table`);
    return null;
  }
  const id = `${ctx.stageId}.block${bi}`;
  const { mid, conv1, conv2, shortcut } = blockConvs(id, spec, cin, cout, s, inS, ctx.bias);
  let outShape = conv2.outShape;
  const idShape = shortcut ? shortcut.outShape : inS;
  if (outShape && idShape && (outShape[1] !== idShape[1] || outShape[2] !== idShape[2] || outShape[0] !== idShape[0])) {
    conv2.problem = conv2.problem ?? `conv2 output ${fmtShape(outShape)} cannot be added to the shortcut's ${fmtShape(idShape)}`;
    outShape = null;
  }
  return {
    id,
    index: bi,
    role,
    op,
    opSpec: spec,
    opRange,
    cin,
    cout,
    mid,
    stride: s,
    conv1,
    conv2,
    shortcut,
    fusion: [],
    receivesList: false,
    finalRelu: true,
    inShape: inS,
    outShape,
    params: null,
    macs: null,
  };
}

/** The head's fusion layers as HAT builds them: widths from net_config[int(log2(s) - 1)][0].out_channels. */
function fusionInputs(head: Block, strides: (number | null)[], stagesIn: ResolvedStage[]): FusionInput[] {
  return strides.map((fstride, j): FusionInput => {
    let namedStage: number | null = null;
    let expectedChannels: number | null = null;
    let problem: string | undefined;
    let crash = false;
    if (fstride === null) return { index: j, stride: null, namedStage, expectedChannels, conv: null };
    if (fstride <= 0) {
      problem = `math.log2(${fstride}) raises ValueError: fusion strides must be positive`;
      crash = true;
    } else {
      const raw = Math.trunc(Math.log2(fstride) - 1);
      const py = raw < 0 ? stagesIn.length + raw : raw;
      if (py < 0 || py >= stagesIn.length) {
        problem = `fusion stride ${fstride} names stage ${raw}, but net_config has ${stagesIn.length} stages (IndexError)`;
        crash = true;
      } else {
        namedStage = py;
        expectedChannels = stagesIn[py].outChannels;
      }
    }
    const conv =
      expectedChannels !== null && head.cout !== null
        ? makeConv(`${head.id}.fusion${j}`, 'fusion', expectedChannels, head.cout, 1, 1, 0, 1, true, true, false, null)
        : null;
    return { index: j, stride: fstride, namedStage, expectedChannels, conv, problem, crash };
  });
}

/** Wire the map arriving at fusion input j into its conv, and say why it crashes or differs from what it names. */
function connectFusionMap(head: Block, f: FusionInput, m: FusionMap, j: number): void {
  f.map = m;
  if (f.conv) f.conv.inShape = m.shape;
  if (f.conv && m.shape) {
    f.conv.outShape = [f.conv.cout, m.shape[1], m.shape[2]];
    f.conv.macs = f.conv.params !== null ? f.conv.cout * f.conv.cin * m.shape[1] * m.shape[2] : null;
  }
  if (f.expectedChannels !== null && f.expectedChannels !== m.channels && !f.problem) {
    f.problem = `the fusion conv for stride ${f.stride} expects ${f.expectedChannels} channels (stage ${f.namedStage}'s out_channels), but the map arriving here is stage ${m.fromStage}'s ${m.scale}x downsample with ${m.channels} channels`;
    f.crash = true;
  } else if (m.shape && head.outShape && (m.shape[1] !== head.outShape[1] || m.shape[2] !== head.outShape[2]) && !f.problem) {
    f.problem = `stage ${m.fromStage}'s ${m.scale}x downsample is ${m.shape[1]}x${m.shape[2]}, but this head's output is ${head.outShape[1]}x${head.outShape[2]}: the add fails`;
    f.crash = true;
  } else if (f.namedStage !== null && f.namedStage !== m.fromStage && !f.problem) {
    f.problem = `fusion stride ${f.stride} names stage ${f.namedStage}, but the map arriving in position ${j} comes from stage ${m.fromStage} (${m.scale}x downsample); the widths happen to match, so it runs with different wiring`;
  }
}

/**
 * What the head receives after x (null: a plain tensor, or the routing is unknown). A plain tensor with
 * fusion layers leaves fusion_inputs empty and the assert fails (the fusion-without-source rule).
 */
function receiveMaps(head: Block, maps: FusionMap[] | null): void {
  head.receivesList = maps !== null;
  if (!maps) return;
  // fusion inputs = x[1:]; the block's final ReLU is skipped when it received any.
  head.finalRelu = maps.length === 0;
  // assert len(fusion_inputs) == len(self.fusion_layers) — a mismatch is reported by the fusion-count rule.
  if (head.fusion.length === 0 || maps.length !== head.fusion.length) return;
  head.fusion.forEach((f, j) => connectFusionMap(head, f, maps[j], j));
  head.finalRelu = true; // the fusion ReLU
}

/** The stage's head block with its fusion layers and what it receives. */
function buildHeadBlock(ctx: BlockContext, rs: ResolvedStage, s: number, inShape: Shape | null, maps: FusionMap[] | null): Block | null {
  const head = buildBlock(ctx, 0, 'head', rs.headOp, rs.headOpRange, rs.inChannels, rs.outChannels, s, inShape);
  if (!head) return null;
  head.fusion = fusionInputs(head, rs.fusionStrides ?? [], ctx.stagesIn);
  receiveMaps(head, maps);
  return head;
}

/** The stack blocks after the head (widths under stack_factor), appended to `blocks`; returns the stage's output shape. */
function buildStackBlocks(ctx: BlockContext, rs: ResolvedStage, headOut: Shape | null, blocks: Block[]): Shape | null {
  let x = headOut;
  const n = rs.stackOps.length;
  const factor = rs.stackFactor ?? 1;
  rs.stackOps.forEach((op, i) => {
    const co = rs.outChannels;
    const { cin, cout } = co === null ? { cin: null, cout: null } : stackWidths(co, factor, i, n);
    const b = buildBlock(ctx, i + 1, 'stack', op, rs.stackOpRanges[i], cin, cout, 1, x);
    if (b) {
      if (x && b.cin !== x[0]) {
        b.conv1.problem = b.conv1.problem ?? `expects ${b.cin} input channels but receives ${x[0]}`;
      }
      blocks.push(b);
      x = b.outShape;
    } else x = null;
  });
  return x;
}

/** The extra_downsample_num chain after the stage and the maps it emits for fusion. */
function buildDownsamples(stageId: string, idx: number, rs: ResolvedStage, x: Shape | null, outStride: number | null): { downsamples: Conv[]; emits: FusionMap[] } {
  const downsamples: Conv[] = [];
  const emits: FusionMap[] = [];
  const edn = rs.extraDownsampleNum;
  if (edn !== null && edn >= 0 && edn <= 3 && rs.outChannels !== null) {
    let ds: Shape | null = x;
    for (let j = 0; j < edn; j++) {
      const c = makeConv(`${stageId}.downsample${j}`, 'downsample', rs.outChannels, rs.outChannels, 3, 2, 1, 1, true, true, false, ds);
      downsamples.push(c);
      ds = c.outShape;
      emits.push({ fromStage: idx, scale: (2 ** (j + 1)) as 2 | 4 | 8, channels: rs.outChannels, shape: ds, sourceStride: outStride });
    }
  }
  return { downsamples, emits };
}

/** Cost one block (params and MACs of its convs; unknown when a fusion conv is); returns its convs. */
function costBlock(b: Block): Conv[] {
  const cs = [b.conv1, b.conv2, ...(b.shortcut ? [b.shortcut] : []), ...b.fusion.map((f) => f.conv).filter((c): c is Conv => !!c)];
  b.params = sum(cs.map((c) => c.params));
  b.macs = sum(cs.map((c) => c.macs));
  if (b.fusion.some((f) => !f.conv)) {
    b.params = null;
    b.macs = null;
  }
  return cs;
}

/** The parts of a stage built so far, for its cost and its record. */
interface StageParts {
  idx: number;
  rs: ResolvedStage;
  unknown: string[];
  blocks: Block[];
  downsamples: Conv[];
  emits: FusionMap[];
  received: FusionMap[] | null;
  inShape: Shape | null;
  /** Output of the last block. */
  x: Shape | null;
  outStride: number | null;
}

/** The stage record with its cost; totals are null unless the whole stage could be modelled. */
function assembleStage(p: StageParts): Stage {
  const { rs, blocks, downsamples, unknown } = p;
  const edn = rs.extraDownsampleNum;
  const convsOfStage: Conv[] = [...blocks.flatMap(costBlock), ...downsamples];
  const expectedBlocks = 1 + rs.stackOps.length;
  const complete = unknown.length === 0 && blocks.length === expectedBlocks && (edn === null || (edn >= 0 && edn <= 3));
  const outShape = complete ? p.x : null;
  return {
    index: p.idx,
    config: rs.cfg,
    range: rs.entry.range,
    callRange: rs.cfg?.call,
    inChannels: rs.inChannels,
    outChannels: rs.outChannels,
    stride: rs.stride,
    headOp: rs.headOp,
    stackOps: rs.stackOps.map((o) => o ?? '?'),
    stackFactor: rs.stackFactor,
    fusionStrides: rs.fusionStrides ?? [],
    extraDownsampleNum: edn,
    blocks,
    downsamples,
    emits: p.emits,
    received: p.received,
    inShape: p.inShape,
    outShape,
    outputStride: p.outStride,
    params: complete ? sum(convsOfStage.map((c) => c.params)) : null,
    macs: complete ? sum(convsOfStage.map((c) => c.macs)) : null,
    knownParams: sumKnown(convsOfStage.map((c) => c.params)),
    knownMacs: sumKnown(convsOfStage.map((c) => c.macs)),
    outputElems: outShape ? outShape[0] * outShape[1] * outShape[2] : null,
    activationElems: complete ? sum(convsOfStage.map((c) => (c.outShape ? c.outShape[0] * c.outShape[1] * c.outShape[2] : null))) : null,
    unknown,
  };
}

/** One stage: head block, stack blocks, downsample chain and cost, given its input and what the routing delivers. */
function buildStage(net: NetContext, rs: ResolvedStage, idx: number, inShape: Shape | null, routing: Routing): Stage {
  const unknown = [...rs.unknown];
  const stageId = `stage${idx}`;
  const ctx: BlockContext = { ...net, stageId, unknown };
  const received = routing.known ? routing.received : null;
  if (rs.stride === null) unknown.push('stride cannot be known');
  const blocks: Block[] = [];
  const head = buildHeadBlock(ctx, rs, rs.stride ?? 1, inShape, received);
  if (head) blocks.push(head);
  const x = buildStackBlocks(ctx, rs, head ? head.outShape : null, blocks);
  const outStride = routing.stride !== null && rs.stride !== null ? routing.stride * rs.stride : null;
  const { downsamples, emits } = buildDownsamples(stageId, idx, rs, x, outStride);
  return assembleStage({ idx, rs, unknown, blocks, downsamples, emits, received, inShape, x, outStride });
}

/** Carry the routing past a stage: its output stride, and the maps the next head receives. */
function advanceRouting(r: Routing, stage: Stage): void {
  r.stride = stage.outputStride;
  const edn = stage.extraDownsampleNum;
  const emits = stage.emits;
  if (edn === null || !r.known || (edn > 0 && emits.length !== edn)) {
    // A stage we cannot read, or whose maps' width is unknown: what later heads receive is unknown.
    r.known = false;
    r.received = null;
  } else r.received = pushEmits(r, stage.index, emits);
}

/** The classifier head (include_top): 1x1 fc, AvgPool2d(7), 1x1 cls; null without the top or the last stage's width. */
function buildClassifier(args: BackboneArgs, last: ResolvedStage, shape: Shape | null): Head | null {
  if (!args.includeTop || last.outChannels === null) return null;
  const fc = makeConv('head.fc', 'head_fc', last.outChannels, args.fcFilter, 1, 1, 0, 1, args.bias, true, true, shape);
  let poolOut: Shape | null = null;
  let poolProblem: string | undefined;
  if (fc.outShape) {
    const [c, h, w] = fc.outShape;
    const ph = h - 7 + 1;
    const pw = w - 7 + 1;
    if (ph <= 0 || pw <= 0) poolProblem = `AvgPool2d(7) needs at least a 7x7 map, but the last stage outputs ${h}x${w}`;
    else poolOut = [c, ph, pw];
  }
  const cls = makeConv('head.cls', 'head_cls', args.fcFilter, args.numClasses ?? NaN, 1, 1, 0, 1, args.bias, true, false, poolOut);
  return {
    fc,
    pool: { k: 7, inShape: fc.outShape, outShape: poolOut, problem: poolProblem },
    cls,
    rowsPerImage: poolOut ? poolOut[1] * poolOut[2] : null,
    params: sum([fc.params, cls.params]),
    macs: sum([fc.macs, cls.macs]),
  };
}

/** Indices of the stages the backbone returns without the top (all of them for an empty output_list). */
function backboneOutputs(args: BackboneArgs, stages: Stage[]): number[] {
  if (args.includeTop || args.outputList === null) return [];
  const ol = args.outputList;
  return ol.length === 0 ? stages.map((s) => s.index) : stages.filter((s) => ol.includes(s.index)).map((s) => s.index);
}

/** Network totals: exact ones (null when a part is unknown) and the known parts' sums. */
function networkCost(stem: Conv | null, stages: Stage[], head: Head | null, includeTop: boolean): Pick<Network, 'params' | 'macs' | 'knownParams' | 'knownMacs'> {
  const parts: (number | null)[] = [stem?.params ?? null, ...stages.map((s) => s.params), ...(includeTop ? [head?.params ?? null] : [])];
  const macParts: (number | null)[] = [stem?.macs ?? null, ...stages.map((s) => s.macs), ...(includeTop ? [head?.macs ?? null] : [])];
  const knownParts = [stem?.params ?? null, ...stages.map((s) => s.knownParams), head?.params ?? null];
  const knownMacParts = [stem?.macs ?? null, ...stages.map((s) => s.knownMacs), head?.macs ?? null];
  return { params: sum(parts), macs: sum(macParts), knownParams: sumKnown(knownParts), knownMacs: sumKnown(knownMacParts) };
}

/** Build the network from what was extracted. */
export function buildNetwork(ex: Extracted, ops: OpTable): Network | null {
  if (!ex.netConfig || ex.netConfig.stages.length === 0) return null;
  const args = backboneArgs(ex);
  const stagesIn = ex.netConfig.stages.map(resolveStage);
  let exact = !ex.netConfig.partial && args.unknownArgs.length === 0;

  const stem = buildStem(ex, args, stagesIn[0]);
  if (!stem || stem.problem) exact = false;
  let shape: Shape | null = stem ? stem.outShape : null;

  const net: NetContext = { ops, bias: args.bias, stagesIn };
  const routing: Routing = { start: null, d2: [], d4: [], d8: [], received: null, known: true, stride: 2 };
  const stages: Stage[] = [];
  stagesIn.forEach((rs, idx) => {
    const stage = buildStage(net, rs, idx, shape, routing);
    if (stage.params === null || stage.macs === null) exact = false;
    stages.push(stage);
    advanceRouting(routing, stage);
    shape = stage.outShape;
  });

  const head = buildClassifier(args, stagesIn[stagesIn.length - 1], shape);
  if (args.includeTop && (!head || head.params === null || head.macs === null)) exact = false;
  const cost = networkCost(stem, stages, head, args.includeTop);
  return {
    input: ex.input.shape,
    inputSource: ex.input.source,
    args,
    stem,
    stages,
    head,
    outputs: backboneOutputs(args, stages),
    ...cost,
    exact: exact && cost.params !== null && cost.macs !== null,
    routingKnown: routing.known,
  };
}

/** All convs of the network, in execution order. */
export function allConvs(net: Network): Conv[] {
  const out: Conv[] = [];
  if (net.stem) out.push(net.stem);
  for (const s of net.stages) {
    for (const b of s.blocks) {
      if (b.shortcut) out.push(b.shortcut);
      out.push(b.conv1, b.conv2);
      for (const f of b.fusion) if (f.conv) out.push(f.conv);
    }
    out.push(...s.downsamples);
  }
  if (net.head) out.push(net.head.fc, net.head.cls);
  return out;
}
