/**
 * Time a network (or any ONNX model) with onnxruntime-node on the CPU, in a child process.
 *
 * The caller's event loop only builds the model, writes it to a temp file and waits: ORT runs in a
 * forked node process (argv array, no shell) that reports over IPC. Abort (AbortSignal) and the timeout
 * kill that process; a crash, a hang or an ORT error comes back as { ok: false, kind, error } and is
 * never thrown (the child process: runner.ts). Results are cached by (model content, settings, ORT
 * version), in memory and optionally in a folder (bounded, see PerfCache in cache.ts), so reopening a file
 * does not measure again; `cacheOnly` looks a result up without building or starting anything.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INPUT_NAME, type NetworkPlan, networkPlan, OnnxBuildError, type OnnxBuildOptions, type OnnxPlan, planOnnx, planFor, specializePlan } from '../core/onnx/build';
import { readOnnx } from '../core/onnx/read';
import type { Network } from '../core/model';
import { defaultCache, type PerfCache } from './cache';
import { attribute } from './profile';
import { GRAPH_OPT_LEVELS, type GraphOptimizationLevel, type NodeTime, type Precision, type TimingSettings, type WorkerJob, type WorkerPrecisionJob, type WorkerPrecisionResult, type WorkerResult } from './protocol';
import type { BatchFigures, Int8Figures, MeasureOutcome, PartLatency, PerfFailure, PerfResult, PrecisionFigures, StageLatency } from './result';
import { CALIBRATION_METHODS, type CalibrationMethod, DEFAULT_CALIBRATION_SAMPLES, DEFAULT_PERCENTILE, isCalibrationPercentile } from '../core/onnx/quantize';
import { CALIBRATION_EXTENSIONS, isCalibrationFile, MAX_CALIBRATION_FILES } from '../core/onnx/calibrationData';
import { cpuIsa } from './isa';
import { resolveWorker, type RunnerOptions, runWorker } from './runner';

export type { GraphOptimizationLevel } from './protocol';
export type { BatchFigures, Int8Figures, MeasureOutcome, MeasureProgress, PartLatency, PerfFailure, PerfResult, PrecisionFigures, StageLatency } from './result';
export type { Precision } from './protocol';

/** Bumped when the ONNX builder's output changes, so that old cached results are not reused. */
export const BUILDER_VERSION = 1;

export interface MeasureOptions extends RunnerOptions {
  /** Images per run (default 1). */
  batch?: number;
  /** ORT intra-op threads (default: all cores). */
  threads?: number;
  /** Timed runs (default 20). */
  runs?: number;
  /** Untimed runs first (default 3). */
  warmup?: number;
  /** Kill the worker after this long (default 120 s). */
  timeoutMs?: number;
  /** Default 'all' (ORT's own default). */
  graphOptimizationLevel?: GraphOptimizationLevel;
  /** Per-stage times from ORT profiling (default true). */
  profile?: boolean;
  /** Profiled runs (default 5). */
  profileRuns?: number;
  /** Weight seed mixed into the structure hash (default 0). */
  seed?: number;
  /** Seed of the pseudo-random input (default 1). */
  inputSeed?: number;
  /** Return every output value (tests). */
  returnOutputs?: boolean;
  /** Result cache; default the process-wide one; false: neither read nor write. */
  cache?: PerfCache | false;
  /**
   * Only look the result up in the cache: a miss is `{ ok: false, kind: 'miss' }`, and nothing is
   * built, written or started (no worker is needed).
   */
  cacheOnly?: boolean;
  /** Worker script (default: worker.js or perf-worker.js next to this module). */
  workerPath?: string;
  /** Also write the measured ONNX model there (a Network target; encoded in the worker). */
  saveOnnxTo?: string;
  /**
   * 'fp32' (default: the float model, as always), 'int8' (the calibrated QDQ model) or 'both' (timed in one
   * process with their runs interleaved; the top-level figures are fp32's). A Network target only.
   */
  precision?: PrecisionChoice;
  /** How the int8 model is calibrated (precision int8 or both). */
  calibration?: CalibrationOptions;
  /** Also write the int8 (QDQ) model there (precision int8 or both). */
  saveInt8OnnxTo?: string;
}

export type PrecisionChoice = Precision | 'both';
export const PRECISION_CHOICES: PrecisionChoice[] = ['fp32', 'int8', 'both'];

export interface CalibrationOptions {
  /** Default 'minmax'. */
  method?: CalibrationMethod;
  /** For 'percentile' (default 99.99). */
  percentile?: number;
  /** Seeded inputs (default DEFAULT_CALIBRATION_SAMPLES, 16); with `files`, every file (at most MAX_CALIBRATION_FILES) is used instead. */
  samples?: number;
  /** The user's own inputs (see listCalibrationFiles). */
  files?: string[];
}

/** Inputs the per-stage int8 error is measured on (seeded; the first calibration files when files are given). */
export const ERROR_SAMPLES = 4;

export const INT8_ERROR_NOTE = 'seeded random weights and inputs: a property of the structure, not of your trained model';
export const INT8_ERROR_NOTE_FILES = "seeded random weights on your inputs: a property of the structure and your data's range, not of your trained model";

export const MEASURE_NOTE_PRECISIONS =
  'CPU latency of the network with BatchNorm folded and pseudo-random weights, in fp32 and as int8 QDQ (onnxruntime-node); a relative guide, not J5 BPU latency.';
export const MEASURE_NOTE = 'CPU latency of the float network with BatchNorm folded and pseudo-random weights (onnxruntime-node); a relative guide, not J5 BPU latency.';

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

export function defaultThreads(): number {
  const ap = (os as { availableParallelism?: () => number }).availableParallelism;
  return Math.max(1, ap ? ap() : os.cpus().length);
}

/** The installed onnxruntime-node: its entry point and version, without loading the native binding. */
export function findOrt(): { module: string; version: string } | null {
  try {
    const pkg = require.resolve('onnxruntime-node/package.json');
    const version = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
    return { module: require.resolve('onnxruntime-node'), version };
  } catch {
    return null;
  }
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What can be timed: a network, its plan (from the analysis service), or ONNX bytes. */
export type MeasureTarget = Network | NetworkPlan | Uint8Array;

function isPlan(t: Network | NetworkPlan): t is NetworkPlan {
  return (t as NetworkPlan).kind === 'network-plan';
}

/** The plan of a network target (a plan as it is); OnnxBuildError when the network cannot be built. */
function planOf(t: Network | NetworkPlan): NetworkPlan {
  return isPlan(t) ? t : networkPlan(t);
}

interface Settings {
  batch: number;
  threads: number;
  runs: number;
  warmup: number;
  timeoutMs: number;
  level: GraphOptimizationLevel;
  profileRuns: number;
  seed: number;
  inputSeed: number;
  precision: PrecisionChoice;
  calibration: { method: CalibrationMethod; percentile: number; samples: number; files?: string[] };
}

function settingsOf(o: MeasureOptions): Settings | string {
  const batch = o.batch ?? 1;
  const threads = o.threads ?? defaultThreads();
  const runs = o.runs ?? 20;
  const warmup = o.warmup ?? 3;
  const timeoutMs = o.timeoutMs ?? 120_000;
  const level = o.graphOptimizationLevel ?? 'all';
  const profileRuns = o.profile === false ? 0 : (o.profileRuns ?? 5);
  const posInt = (n: number) => Number.isInteger(n) && n > 0;
  if (!posInt(batch)) return `batch must be a positive integer (got ${batch})`;
  if (!posInt(threads)) return `threads must be a positive integer (got ${threads})`;
  if (threads > 256) return `threads must be at most 256 (got ${threads})`;
  if (!posInt(runs)) return `runs must be a positive integer (got ${runs})`;
  if (!Number.isInteger(warmup) || warmup < 0) return `warmup must be a non-negative integer (got ${warmup})`;
  if (!Number.isInteger(profileRuns) || profileRuns < 0) return `profileRuns must be a non-negative integer (got ${profileRuns})`;
  if (!(timeoutMs > 0)) return `timeoutMs must be positive (got ${timeoutMs})`;
  if (!GRAPH_OPT_LEVELS.includes(level)) return `graphOptimizationLevel must be one of ${GRAPH_OPT_LEVELS.join(', ')} (got ${level})`;
  const precision = o.precision ?? 'fp32';
  if (!PRECISION_CHOICES.includes(precision)) return `precision must be one of ${PRECISION_CHOICES.join(', ')} (got ${precision})`;
  const c = o.calibration ?? {};
  const method = c.method ?? 'minmax';
  if (!CALIBRATION_METHODS.includes(method)) return `the calibration method must be one of ${CALIBRATION_METHODS.join(', ')} (got ${method})`;
  const percentile = c.percentile ?? DEFAULT_PERCENTILE;
  if (!isCalibrationPercentile(percentile)) return `the calibration percentile must be above 50 and at most 100 (got ${percentile})`;
  const samples = c.samples ?? DEFAULT_CALIBRATION_SAMPLES;
  if (!posInt(samples) || samples > 10_000) return `calibration samples must be an integer from 1 to 10000 (got ${samples})`;
  if (c.files && c.files.length === 0) return 'the calibration folder holds no .npy, .f32/.raw/.bin, .ppm or .pgm file';
  const files = c.files?.slice(0, MAX_CALIBRATION_FILES);
  return { batch, threads, runs, warmup, timeoutMs, level, profileRuns, seed: o.seed ?? 0, inputSeed: o.inputSeed ?? 1, precision, calibration: { method, percentile, samples, files } };
}

// ---------------------------------------------------------------------------------------------
// measure().
// ---------------------------------------------------------------------------------------------

/** Time `target` (a network, or ONNX bytes) in a child process. Never throws. */
export async function measure(target: MeasureTarget, options: MeasureOptions = {}, signal?: AbortSignal): Promise<MeasureOutcome> {
  try {
    return await measureInner(target, options, signal);
  } catch (e) {
    return { ok: false, kind: 'error', error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * measure() at `options.batch` (default 1; per-stage profiling as asked), then — when `otherBatch` differs —
 * again at `otherBatch` (totals only, no profiling): the result is the first one with `batches` giving the
 * median/p90/min latency and FPS of both. So "batch 1 and a user-set batch" costs one extra child process,
 * and each batch is cached on its own. A failure of the second measurement keeps the first (`batchesError`),
 * except a cancellation, which is returned as such; a `cacheOnly` miss of the second just leaves `batches` out.
 */
export async function measureBatches(
  target: MeasureTarget,
  options: MeasureOptions,
  otherBatch: number | undefined,
  signal?: AbortSignal,
): Promise<MeasureOutcome> {
  const first = await measure(target, options, signal);
  if (!first.ok || otherBatch === undefined || otherBatch === first.batch) return first;
  const onProgress = options.onProgress;
  const second = await measure(
    target,
    {
      ...options,
      batch: otherBatch,
      profile: false,
      saveOnnxTo: undefined,
      saveInt8OnnxTo: undefined,
      returnOutputs: false,
      onProgress: onProgress ? (p) => onProgress({ ...p, batch: otherBatch }) : undefined,
    },
    signal,
  );
  if (!second.ok) {
    if (second.kind === 'aborted') return second;
    if (second.kind === 'miss') return first;
    return { ...first, batchesError: `batch ${otherBatch}: ${second.kind}: ${second.error}` };
  }
  const fig = (r: PerfResult): BatchFigures => ({
    batch: r.batch,
    latencyMs: { median: r.latencyMs.median, p90: r.latencyMs.p90, min: r.latencyMs.min },
    fps: r.fps,
    fromCache: r.fromCache,
  });
  return { ...first, batches: [fig(first), fig(second)].sort((a, b) => a.batch - b.batch) };
}

/** The model's identity and the cache key of a measurement of it with these settings (cheap: no ONNX is built). */
interface ModelId {
  modelHash: string;
  macs: number | null;
  cacheKey: string;
  /** The plan of a network target. */
  net?: NetworkPlan;
}

/** Bumped when the QDQ builder or the calibration changes, so that old int8 results are not reused. */
export const QUANT_VERSION = 1;

/** The calibration files' identity: name, size and modification time of each. */
function filesKey(files: string[]): string {
  return sha256(
    files
      .map((f) => {
        try {
          const s = fs.statSync(f);
          return `${f}:${s.size}:${s.mtimeMs}`;
        } catch {
          return `${f}:?`;
        }
      })
      .join('\n'),
  );
}

function identify(target: MeasureTarget, st: Settings, options: MeasureOptions, ortVersion: string): ModelId | PerfFailure {
  let modelHash: string;
  let macs: number | null = null;
  let net: NetworkPlan | undefined;
  if (!(target instanceof Uint8Array)) {
    try {
      net = planOf(target);
    } catch (e) {
      if (e instanceof OnnxBuildError) return { ok: false, kind: 'invalid', error: e.message };
      throw e;
    }
    modelHash = `net-${BUILDER_VERSION}-${net.graph.structureHash}-${st.seed}`;
    macs = net.macs;
  } else modelHash = `onnx-${sha256(target)}`;
  const keyObj = {
    modelHash,
    batch: st.batch,
    threads: st.threads,
    runs: st.runs,
    warmup: st.warmup,
    level: st.level,
    profileRuns: st.profileRuns,
    inputSeed: st.inputSeed,
    returnOutputs: !!options.returnOutputs,
    ort: ortVersion,
    // fp32 keys are as before the precision existed, so older cached results are read as fp32.
    ...(st.precision !== 'fp32' ? { precision: st.precision, quant: QUANT_VERSION, calibration: { ...st.calibration, files: st.calibration.files ? filesKey(st.calibration.files) : undefined } } : {}),
  };
  return { modelHash, macs, cacheKey: sha256(JSON.stringify(keyObj)).slice(0, 32), net };
}

/** The model the worker times and its input: a network as a plan at this batch and seed, ONNX bytes as they are. */
interface PreparedModel {
  plan?: OnnxPlan;
  bytes?: Uint8Array;
  inputName: string;
  inputDims: number[];
  hasHead: boolean;
  stageCount: number;
}

/**
 * The model and its input. A network goes to the worker as a plan: the weights are drawn and the
 * protobuf written there, not on the caller's thread.
 */
function prepareModel(target: MeasureTarget, net: NetworkPlan | undefined, st: Settings): PreparedModel | PerfFailure {
  if (net) {
    let plan: OnnxPlan;
    try {
      plan = planFor(net, { batch: st.batch, seed: st.seed });
    } catch (e) {
      if (e instanceof OnnxBuildError) return { ok: false, kind: 'invalid', error: e.message };
      throw e;
    }
    return { plan, inputName: INPUT_NAME, inputDims: plan.input.dims as number[], hasHead: net.includeTop, stageCount: net.stageCount };
  }
  const bytes = target as Uint8Array;
  let info;
  try {
    info = readOnnx(bytes);
  } catch (e) {
    return { ok: false, kind: 'invalid', error: `not an ONNX model: ${e instanceof Error ? e.message : String(e)}` };
  }
  const inp = info.inputs[0];
  if (!inp || info.inputs.length !== 1) return { ok: false, kind: 'invalid', error: `the model must have exactly one input (has ${info.inputs.length})` };
  const inputDims = inp.dims.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? st.batch : NaN));
  if (inputDims.some((d) => !Number.isFinite(d))) return { ok: false, kind: 'invalid', error: `input ${inp.name} has unknown dimensions [${inp.dims.join(', ')}]` };
  return {
    bytes,
    inputName: inp.name,
    inputDims,
    hasHead: info.nodes.some((n) => n.name.startsWith('head.')),
    stageCount: 1 + info.nodes.reduce((a, n) => Math.max(a, /^stage(\d+)\./.test(n.name) ? Number(/^stage(\d+)\./.exec(n.name)![1]) : -1), -1),
  };
}

function timingOf(model: PreparedModel, st: Settings, profileDir: string): TimingSettings {
  return {
    inputName: model.inputName,
    inputDims: model.inputDims,
    inputSeed: st.inputSeed,
    threads: st.threads,
    warmup: st.warmup,
    runs: st.runs,
    graphOptimizationLevel: st.level,
    profileRuns: st.profileRuns,
    profileDir,
  };
}

async function measureInner(target: MeasureTarget, options: MeasureOptions, signal?: AbortSignal): Promise<MeasureOutcome> {
  if (signal?.aborted) return { ok: false, kind: 'aborted', error: 'cancelled before it started' };
  const st = settingsOf(options);
  if (typeof st === 'string') return { ok: false, kind: 'invalid', error: st };
  const ort = findOrt();
  if (!ort) return { ok: false, kind: 'error', error: 'onnxruntime-node is not installed (npm install onnxruntime-node)' };

  // Model identity first (cheap), so that a cache hit builds nothing.
  const id = identify(target, st, options, ort.version);
  if ('ok' in id) return id;
  const cache = options.cache === false ? null : (options.cache ?? defaultCache);
  if (cache && !options.saveOnnxTo && !options.saveInt8OnnxTo) {
    const hit = cache.get(id.cacheKey);
    if (hit) {
      options.onProgress?.({ phase: 'cache' });
      return { ...hit, fromCache: true };
    }
  }
  if (options.cacheOnly) return { ok: false, kind: 'miss', error: cache ? 'not in the cache' : 'no cache to look in' };
  const workerPath = resolveWorker(options.workerPath);
  if (!workerPath) return { ok: false, kind: 'error', error: `the timing worker script was not found next to ${__dirname}` };

  options.onProgress?.({ phase: 'build' });
  const model = prepareModel(target, id.net, st);
  if ('ok' in model) return model;
  if (st.precision !== 'fp32') {
    if (!model.plan) return { ok: false, kind: 'invalid', error: 'int8 is measured for a network (its plan), not for ONNX bytes' };
    const r = await measurePrecisions(workerPath, ort.module, model, st, id, options, signal);
    if (r.ok && cache) cache.set(id.cacheKey, r);
    return r;
  }
  if (signal?.aborted) return { ok: false, kind: 'aborted', error: 'cancelled' };

  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mvg-perf-'));
  try {
    const profileDir = path.join(dir, 'profile');
    await fs.promises.mkdir(profileDir);
    let modelPath: string | undefined;
    if (model.bytes) {
      modelPath = path.join(dir, 'model.onnx');
      await fs.promises.writeFile(modelPath, model.bytes);
    }
    const job: WorkerJob = {
      type: 'job',
      ortModule: ort.module,
      plan: model.plan,
      modelPath,
      saveModelTo: model.plan && options.saveOnnxTo ? path.resolve(options.saveOnnxTo) : undefined,
      ...timingOf(model, st, profileDir),
      returnOutputs: !!options.returnOutputs,
    };
    const r = await runWorker(workerPath, job, st.timeoutMs, options, signal, 'result');
    if (r.type !== 'done') return r.failure;
    const result = resultOf(r.message, st, model, id);
    if (cache) cache.set(id.cacheKey, result);
    return result;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The stem, stage, block and head shares of the profiled kernel time, as latencies at the median. */
function partsOf(w: WorkerResult, median: number, model: PreparedModel): Pick<PerfResult, 'stages' | 'stem' | 'head' | 'nodes'> {
  if (!w.nodes || !w.nodes.length) return { stages: [], stem: null, head: null, nodes: undefined };
  const runs = w.profileRuns ?? 1;
  const a = attribute(w.nodes, model.stageCount, runs, model.hasHead);
  const lat = (share: number) => share * median;
  const stem: PartLatency = { share: a.stem.share, latencyMs: lat(a.stem.share) };
  const head: PartLatency | null = a.head ? { share: a.head.share, latencyMs: lat(a.head.share) } : null;
  const stages: StageLatency[] = a.stages.map((s) => ({
    index: s.index,
    share: s.share,
    latencyMs: lat(s.share),
    downsampleShare: s.downsampleShare,
    blocks: s.blocks.map((b) => ({ index: b.index, share: b.share, latencyMs: lat(b.share) })),
  }));
  const nodes = w.nodes.map((n: NodeTime) => ({ name: n.name, op: n.op, usPerRun: n.us / runs }));
  return { stages, stem, head, nodes };
}

/** The worker's answer as a result: latency statistics, FPS, and the per-part times when profiled. */
function resultOf(w: WorkerResult, st: Settings, model: PreparedModel, id: ModelId): PerfResult {
  const sorted = [...w.timesMs].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const latency = {
    median,
    p90: quantile(sorted, 0.9),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
  const { stages, stem, head, nodes } = partsOf(w, median, model);
  const macs = id.macs;
  return {
    ok: true,
    latencyMs: latency,
    fps: (st.batch * 1000) / median,
    batch: st.batch,
    threads: st.threads,
    runs: st.runs,
    warmup: st.warmup,
    ortVersion: w.ortVersion,
    graphOptimizationLevel: st.level,
    sessionMs: w.sessionMs,
    device: `CPU (${os.cpus()[0]?.model?.trim() ?? os.arch()})`,
    stages,
    stem,
    head,
    nodes,
    outputs: w.outputs,
    macs,
    gmacPerSec: macs !== null ? (st.batch * macs) / (median / 1000) / 1e9 : null,
    modelHash: id.modelHash,
    cacheKey: id.cacheKey,
    fromCache: false,
    measuredAt: new Date().toISOString(),
    note: MEASURE_NOTE,
  };
}

/** The int8 facts: fused convs (from ORT's optimised model), calibration, stage errors. */
function int8FactsOf(w: NonNullable<WorkerPrecisionResult['int8']>, plan: OnnxPlan, st: Settings): Omit<Int8Figures, keyof PrecisionFigures> {
  const convIds = plan.steps.flatMap((x) => (x.kind === 'conv' ? [x.conv.id] : []));
  const qlinear = w.optimizedNodes.filter((n) => n.opType === 'QLinearConv');
  const owner = (name: string) => convIds.find((id) => name === id || (name.startsWith(id) && !/[A-Za-z0-9]/.test(name.charAt(id.length))));
  const quantizedIds = new Set(qlinear.map((n) => owner(n.name)).filter((x): x is string => !!x));
  // Convs ORT left in float (Conv, FusedConv, NCHWc convs), by the conv they came from when the name says.
  const fp32Convs = w.optimizedNodes.filter((n) => /Conv$/.test(n.opType) && n.opType !== 'QLinearConv').map((n) => owner(n.name) ?? n.name);
  const unnamed = convIds.filter((id) => !quantizedIds.has(id) && !fp32Convs.includes(id));
  const count = (op: string) => w.optimizedNodes.filter((n) => n.opType === op).length;
  const adds = plan.steps.filter((x) => x.kind === 'op' && x.opType === 'Add').length;
  const errors = w.stageErrors;
  return {
    quantizedConvs: qlinear.length,
    totalConvs: convIds.length,
    fp32Convs: qlinear.length + fp32Convs.length === convIds.length || unnamed.length === 0 ? fp32Convs : [...fp32Convs, ...unnamed],
    quantizedAdds: count('QLinearAdd'),
    totalAdds: adds,
    calibration: {
      samples: w.calibrationSamples,
      method: st.calibration.method,
      ...(st.calibration.method === 'percentile' ? { percentile: st.calibration.percentile } : {}),
      source: st.calibration.files ? 'files' : 'seeded',
      ms: w.calibrationMs,
      cpuMs: w.calibrationCpuMs,
      ...(w.skipped.length ? { skipped: w.skipped } : {}),
    },
    error: {
      samples: w.errorSamples,
      note: st.calibration.files ? INT8_ERROR_NOTE_FILES : INT8_ERROR_NOTE,
      stages: errors.filter((e) => e.index >= 0),
      output: errors.find((e) => e.index < 0) ?? null,
    },
  };
}

/** fp32 and/or int8 timed in one worker (see WorkerPrecisionJob); the top-level figures are fp32's when measured. */
async function measurePrecisions(
  workerPath: string,
  ortModule: string,
  model: PreparedModel,
  st: Settings,
  id: ModelId,
  options: MeasureOptions,
  signal?: AbortSignal,
): Promise<MeasureOutcome> {
  const plan = model.plan!;
  const precisions: Precision[] = st.precision === 'both' ? ['fp32', 'int8'] : [st.precision as Precision];
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mvg-perf-'));
  try {
    const job: WorkerPrecisionJob = {
      type: 'precisions',
      ortModule,
      plan,
      precisions,
      calibration: { method: st.calibration.method, percentile: st.calibration.percentile, samples: st.calibration.samples, seed: st.inputSeed + 1, files: st.calibration.files },
      errorSamples: ERROR_SAMPLES,
      save:
        options.saveOnnxTo || options.saveInt8OnnxTo
          ? {
              fp32: options.saveOnnxTo ? path.resolve(options.saveOnnxTo) : undefined,
              int8: options.saveInt8OnnxTo ? path.resolve(options.saveInt8OnnxTo) : undefined,
              // Written with a symbolic batch unless a batch was asked for (as the fp32 export).
              exportPlan: options.batch === undefined && id.net ? specializePlan(id.net.graph, { seed: st.seed }) : undefined,
            }
          : undefined,
      ...timingOf(model, st, dir),
    };
    const r = await runWorker(workerPath, job, st.timeoutMs, options, signal, 'precisions');
    if (r.type !== 'done') return r.failure;
    const w = r.message;
    const results: Partial<Record<Precision, PerfResult>> = {};
    const figures: { fp32?: PrecisionFigures; int8?: Int8Figures } = {};
    for (const p of precisions) {
      const t = w[p];
      if (!t) return { ok: false, kind: 'error', error: `the worker reported no ${p} result` };
      const res = resultOf({ type: 'result', ortVersion: w.ortVersion, ...t }, st, model, id);
      results[p] = res;
      const fig: PrecisionFigures = { latencyMs: { median: res.latencyMs.median, p90: res.latencyMs.p90, min: res.latencyMs.min }, fps: res.fps, gmacPerSec: res.gmacPerSec, sessionMs: res.sessionMs, stages: res.stages, stem: res.stem, head: res.head };
      if (p === 'fp32') figures.fp32 = fig;
      else figures.int8 = { ...fig, ...int8FactsOf(w.int8!, plan, st) };
    }
    const top = results[precisions[0]]!;
    return { ...top, precision: precisions[0], precisions: figures, isa: cpuIsa(), note: MEASURE_NOTE_PRECISIONS };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The calibration files of a folder (sorted by name, at most MAX_CALIBRATION_FILES), or why there are none. */
export async function listCalibrationFiles(dir: string): Promise<{ files: string[] } | { error: string }> {
  let names: string[];
  try {
    if (!(await fs.promises.stat(dir)).isDirectory()) return { error: `${dir} is not a folder` };
    names = await fs.promises.readdir(dir);
  } catch (e) {
    return { error: `cannot read ${dir}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const files = names
    .filter(isCalibrationFile)
    .sort()
    .slice(0, MAX_CALIBRATION_FILES)
    .map((n) => path.join(dir, n));
  return files.length ? { files } : { error: `${dir} holds no calibration input (${CALIBRATION_EXTENSIONS.join(', ')}; PNG/JPEG need converting, e.g. to .ppm or .npy)` };
}

/**
 * Write the network's ONNX model to `file`, encoding it in a child process (the weights of the seed
 * config take ~0.1 s of CPU to draw and encode). Never throws.
 */
export async function exportOnnx(
  net: Network | NetworkPlan,
  file: string,
  options: OnnxBuildOptions & Pick<MeasureOptions, 'workerPath' | 'execPath' | 'timeoutMs'> = {},
  signal?: AbortSignal,
): Promise<{ ok: true; path: string; bytes: number } | PerfFailure> {
  try {
    if (signal?.aborted) return { ok: false, kind: 'aborted', error: 'cancelled before it started' };
    let plan: OnnxPlan;
    try {
      plan = isPlan(net) ? planFor(net, options) : planOnnx(net, options);
    } catch (e) {
      if (e instanceof OnnxBuildError) return { ok: false, kind: 'invalid', error: e.message };
      throw e;
    }
    const workerPath = resolveWorker(options.workerPath);
    if (!workerPath) return { ok: false, kind: 'error', error: `the worker script was not found next to ${__dirname}` };
    const r = await runWorker(workerPath, { type: 'export', plan, path: path.resolve(file) }, options.timeoutMs ?? 60_000, options, signal, 'exported');
    if (r.type !== 'done') return r.failure;
    return { ok: true, path: r.message.path, bytes: r.message.bytes };
  } catch (e) {
    return { ok: false, kind: 'error', error: e instanceof Error ? e.message : String(e) };
  }
}
