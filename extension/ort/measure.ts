/**
 * Time a network (or any ONNX model) with onnxruntime-node on the CPU, in a child process.
 *
 * The caller's event loop only builds the model, writes it to a temp file and waits: ORT runs in a
 * forked node process (argv array, no shell) that reports over IPC. Abort (AbortSignal) and the timeout
 * kill that process; a crash, a hang or an ORT error comes back as { ok: false, kind, error } and is
 * never thrown. Results are cached by (model content, settings, ORT version), in memory and optionally
 * in a folder (bounded, see PerfCache), so reopening a file does not measure again; `cacheOnly` looks a
 * result up without building or starting anything.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INPUT_NAME, type NetworkPlan, networkPlan, OnnxBuildError, type OnnxBuildOptions, type OnnxPlan, planOnnx, specializePlan } from '../core/onnx/build';
import { readOnnx } from '../core/onnx/read';
import type { Network } from '../core/model';
import { attribute } from './profile';
import {
  GRAPH_OPT_LEVELS,
  type GraphOptimizationLevel,
  type NodeTime,
  type OutputSummary,
  type WorkerExportJob,
  type WorkerJob,
  type WorkerMessage,
} from './protocol';

export type { GraphOptimizationLevel } from './protocol';

/** Bumped when the ONNX builder's output changes, so that old cached results are not reused. */
export const BUILDER_VERSION = 1;

export interface MeasureOptions {
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
  /** Executable that runs the worker (default process.execPath; in VS Code, Electron run as node). */
  execPath?: string;
  /** Also write the measured ONNX model there (a Network target; encoded in the worker). */
  saveOnnxTo?: string;
  /** Progress, including the worker's pid once it is started. */
  onProgress?: (p: MeasureProgress) => void;
}

export interface MeasureProgress {
  phase: 'cache' | 'build' | 'spawned' | 'loaded' | 'session' | 'warmup' | 'timing' | 'profiling';
  /** Set by measureBatches() on the progress of its second measurement (the batch it times). */
  batch?: number;
  pid?: number;
  done?: number;
  total?: number;
}

export interface PartLatency {
  /** Share of the profiled kernel time (0..1). */
  share: number;
  /** share × median latency. */
  latencyMs: number;
}

export interface StageLatency extends PartLatency {
  index: number;
  blocks: (PartLatency & { index: number })[];
  /** Share of the stage's downsample chain (part of `share`). */
  downsampleShare: number;
}

export interface PerfResult {
  ok: true;
  latencyMs: { median: number; p90: number; min: number; max: number; mean: number };
  /** Images per second at the median latency. */
  fps: number;
  batch: number;
  threads: number;
  runs: number;
  warmup: number;
  ortVersion: string;
  graphOptimizationLevel: GraphOptimizationLevel;
  /** Session creation (graph optimisation included), ms. */
  sessionMs: number;
  device: string;
  /** Per-stage time (empty without profiling). */
  stages: StageLatency[];
  stem: PartLatency | null;
  head: PartLatency | null;
  /** Per-node kernel times per run (µs), when profiled. */
  nodes?: { name: string; op: string; usPerRun: number }[];
  outputs: OutputSummary[];
  /** MACs of one image (from the network), when measured from a Network. */
  macs: number | null;
  /** batch × macs / median latency, GMAC/s. */
  gmacPerSec: number | null;
  modelHash: string;
  cacheKey: string;
  fromCache: boolean;
  measuredAt: string;
  note: string;
  /**
   * Set by measureBatches(): the figures at batch 1 and at the user-set batch, each timed on its own
   * (ascending batch). Absent when only one batch was measured.
   */
  batches?: BatchFigures[];
  /** Set by measureBatches() when the other batch could not be measured (this result stands). */
  batchesError?: string;
}

/** The totals of one batch size. */
export interface BatchFigures {
  batch: number;
  latencyMs: { median: number; p90: number; min: number };
  /** Images per second at the median latency. */
  fps: number;
  fromCache: boolean;
}

export interface PerfFailure {
  ok: false;
  /** 'miss': a `cacheOnly` lookup found nothing. */
  kind: 'aborted' | 'timeout' | 'crash' | 'error' | 'invalid' | 'miss';
  error: string;
  /** Last lines the worker wrote to stderr. */
  stderr?: string;
}

export type MeasureOutcome = PerfResult | PerfFailure;

export const MEASURE_NOTE = 'CPU latency of the float network with BatchNorm folded and pseudo-random weights (onnxruntime-node); a relative guide, not J5 BPU latency.';

// ---------------------------------------------------------------------------------------------
// Cache.
// ---------------------------------------------------------------------------------------------

export interface PerfCacheOptions {
  /** Entries kept in the folder (the most recently used ones; default 200). */
  maxEntries?: number;
  /** Entries not used for this long are dropped (default 60 days). */
  maxAgeDays?: number;
}

const KEY_RE = /^[0-9a-z][0-9a-z-]{0,127}$/;
const ENTRY_RE = /^([0-9a-z][0-9a-z-]{0,127})\.json$/;
const DAY_MS = 86_400_000;

/** Whether a parsed cache file is a usable result for `key` (anything else is ignored). */
function isCachedResult(r: unknown, key: string): r is PerfResult {
  if (!r || typeof r !== 'object') return false;
  const o = r as Partial<PerfResult>;
  return (
    o.ok === true &&
    o.cacheKey === key &&
    typeof o.latencyMs === 'object' &&
    o.latencyMs !== null &&
    Number.isFinite(o.latencyMs.median) &&
    Array.isArray(o.stages) &&
    typeof o.measuredAt === 'string' &&
    typeof o.ortVersion === 'string'
  );
}

/**
 * Measurement results by cache key: in memory, and optionally in a folder (one `<key>.json` each,
 * written atomically) that outlives the process. The folder is bounded: at most `maxEntries` files,
 * none unused for more than `maxAgeDays` (a read refreshes an entry's mtime). Unreadable, corrupt or
 * foreign files are ignored. Never throws.
 */
export class PerfCache {
  private readonly mem = new Map<string, PerfResult>();
  readonly maxEntries: number;
  readonly maxAgeMs: number;
  constructor(
    readonly dir?: string,
    options: PerfCacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 200));
    this.maxAgeMs = Math.max(0, options.maxAgeDays ?? 60) * DAY_MS;
  }

  private file(key: string): string {
    return path.join(this.dir!, `${key}.json`);
  }

  get(key: string): PerfResult | undefined {
    const hit = this.mem.get(key);
    if (hit) {
      this.remember(key, hit);
      return hit;
    }
    if (!this.dir || !KEY_RE.test(key)) return undefined;
    const file = this.file(key);
    try {
      const stat = fs.statSync(file);
      if (this.maxAgeMs > 0 && Date.now() - stat.mtimeMs > this.maxAgeMs) {
        fs.rmSync(file, { force: true });
        return undefined;
      }
      const r: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!isCachedResult(r, key)) return undefined;
      this.remember(key, r);
      try {
        const now = new Date();
        fs.utimesSync(file, now, now); // recently used: pruned last
      } catch {
        // read-only folder: still a hit
      }
      return r;
    } catch {
      // missing, unreadable or corrupt: a miss
      return undefined;
    }
  }

  /** In memory too, at most `maxEntries` (least recently used dropped first). */
  private remember(key: string, r: PerfResult): void {
    this.mem.delete(key);
    this.mem.set(key, r);
    while (this.mem.size > this.maxEntries) this.mem.delete(this.mem.keys().next().value as string);
  }

  set(key: string, r: PerfResult): void {
    this.remember(key, r);
    if (!this.dir || !KEY_RE.test(key)) return;
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(r));
      fs.renameSync(tmp, file);
    } catch {
      // a cache that cannot be written is only a cache
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // ignore
      }
    }
    this.prune();
  }

  /**
   * Drop folder entries beyond `maxEntries` (least recently used first), entries older than
   * `maxAgeDays`, and leftover temp files older than an hour. Returns how many files were removed.
   */
  prune(): number {
    if (!this.dir) return 0;
    let removed = 0;
    try {
      const now = Date.now();
      const entries: { file: string; key: string; mtime: number }[] = [];
      for (const name of fs.readdirSync(this.dir)) {
        const file = path.join(this.dir, name);
        let mtime: number;
        try {
          const st = fs.statSync(file);
          if (!st.isFile()) continue;
          mtime = st.mtimeMs;
        } catch {
          continue;
        }
        const m = ENTRY_RE.exec(name);
        if (m) entries.push({ file, key: m[1], mtime });
        else if (name.endsWith('.tmp') && now - mtime > 3_600_000) removed += this.remove(file);
      }
      entries.sort((a, b) => b.mtime - a.mtime);
      entries.forEach((e, i) => {
        if (i >= this.maxEntries || (this.maxAgeMs > 0 && now - e.mtime > this.maxAgeMs)) {
          removed += this.remove(e.file);
          this.mem.delete(e.key);
        }
      });
    } catch {
      // no folder yet, or unreadable
    }
    return removed;
  }

  private remove(file: string): number {
    try {
      fs.rmSync(file, { force: true });
      return 1;
    } catch {
      return 0;
    }
  }

  /** Forget the in-memory entries; with `disk`, also delete the folder's entries. */
  clear(disk = false): void {
    this.mem.clear();
    if (!disk || !this.dir) return;
    try {
      for (const name of fs.readdirSync(this.dir)) if (ENTRY_RE.test(name) || name.endsWith('.tmp')) this.remove(path.join(this.dir, name));
    } catch {
      // nothing there
    }
  }
}

/** The process-wide in-memory cache (the extension may replace it with one that has a folder). */
export let defaultCache = new PerfCache();
export function setDefaultCache(c: PerfCache): void {
  defaultCache = c;
}

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

/** The worker script: the explicit one, else $MVG_PERF_WORKER, else worker.js / perf-worker.js next to this module. */
export function resolveWorker(explicit?: string): string | null {
  const env = process.env.MVG_PERF_WORKER;
  const candidates = explicit
    ? [explicit]
    : [...(env ? [env] : []), path.join(__dirname, 'worker.js'), path.join(__dirname, 'perf-worker.js'), path.join(__dirname, 'ort', 'worker.js')];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
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
  if (!posInt(runs)) return `runs must be a positive integer (got ${runs})`;
  if (!Number.isInteger(warmup) || warmup < 0) return `warmup must be a non-negative integer (got ${warmup})`;
  if (!Number.isInteger(profileRuns) || profileRuns < 0) return `profileRuns must be a non-negative integer (got ${profileRuns})`;
  if (!(timeoutMs > 0)) return `timeoutMs must be positive (got ${timeoutMs})`;
  if (!GRAPH_OPT_LEVELS.includes(level)) return `graphOptimizationLevel must be one of ${GRAPH_OPT_LEVELS.join(', ')} (got ${level})`;
  return { batch, threads, runs, warmup, timeoutMs, level, profileRuns, seed: o.seed ?? 0, inputSeed: o.inputSeed ?? 1 };
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

async function measureInner(target: MeasureTarget, options: MeasureOptions, signal?: AbortSignal): Promise<MeasureOutcome> {
  if (signal?.aborted) return { ok: false, kind: 'aborted', error: 'cancelled before it started' };
  const st = settingsOf(options);
  if (typeof st === 'string') return { ok: false, kind: 'invalid', error: st };
  const ort = findOrt();
  if (!ort) return { ok: false, kind: 'error', error: 'onnxruntime-node is not installed (npm install onnxruntime-node)' };

  // Model identity first (cheap), so that a cache hit builds nothing.
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
  const cache = options.cache === false ? null : (options.cache ?? defaultCache);
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
    ort: ort.version,
  };
  const cacheKey = sha256(JSON.stringify(keyObj)).slice(0, 32);
  if (cache && !options.saveOnnxTo) {
    const hit = cache.get(cacheKey);
    if (hit) {
      options.onProgress?.({ phase: 'cache' });
      return { ...hit, fromCache: true };
    }
  }
  if (options.cacheOnly) return { ok: false, kind: 'miss', error: cache ? 'not in the cache' : 'no cache to look in' };
  const workerPath = resolveWorker(options.workerPath);
  if (!workerPath) return { ok: false, kind: 'error', error: `the timing worker script was not found next to ${__dirname}` };

  // The model and its input. A network goes to the worker as a plan: the weights are drawn and the
  // protobuf written there, not on the caller's thread.
  options.onProgress?.({ phase: 'build' });
  let plan: OnnxPlan | undefined;
  let bytes: Uint8Array | undefined;
  let inputName = INPUT_NAME;
  let inputDims: number[];
  let hasHead = false;
  let stageCount = 0;
  if (net) {
    try {
      plan = specializePlan(net.graph, { batch: st.batch, seed: st.seed });
    } catch (e) {
      if (e instanceof OnnxBuildError) return { ok: false, kind: 'invalid', error: e.message };
      throw e;
    }
    inputDims = plan.input.dims as number[];
    hasHead = net.includeTop;
    stageCount = net.stageCount;
  } else {
    bytes = target as Uint8Array;
    let info;
    try {
      info = readOnnx(bytes);
    } catch (e) {
      return { ok: false, kind: 'invalid', error: `not an ONNX model: ${e instanceof Error ? e.message : String(e)}` };
    }
    const inp = info.inputs[0];
    if (!inp || info.inputs.length !== 1) return { ok: false, kind: 'invalid', error: `the model must have exactly one input (has ${info.inputs.length})` };
    inputName = inp.name;
    inputDims = inp.dims.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? st.batch : NaN));
    if (inputDims.some((d) => !Number.isFinite(d))) return { ok: false, kind: 'invalid', error: `input ${inp.name} has unknown dimensions [${inp.dims.join(', ')}]` };
    hasHead = info.nodes.some((n) => n.name.startsWith('head.'));
    stageCount = 1 + info.nodes.reduce((a, n) => Math.max(a, /^stage(\d+)\./.test(n.name) ? Number(/^stage(\d+)\./.exec(n.name)![1]) : -1), -1);
  }
  if (signal?.aborted) return { ok: false, kind: 'aborted', error: 'cancelled' };

  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mvg-perf-'));
  try {
    const profileDir = path.join(dir, 'profile');
    await fs.promises.mkdir(profileDir);
    let modelPath: string | undefined;
    if (bytes) {
      modelPath = path.join(dir, 'model.onnx');
      await fs.promises.writeFile(modelPath, bytes);
    }
    const job: WorkerJob = {
      type: 'job',
      ortModule: ort.module,
      plan,
      modelPath,
      saveModelTo: plan && options.saveOnnxTo ? path.resolve(options.saveOnnxTo) : undefined,
      inputName,
      inputDims,
      inputSeed: st.inputSeed,
      threads: st.threads,
      warmup: st.warmup,
      runs: st.runs,
      graphOptimizationLevel: st.level,
      profileRuns: st.profileRuns,
      profileDir,
      returnOutputs: !!options.returnOutputs,
    };
    const r = await runWorker(workerPath, job, st.timeoutMs, options, signal, 'result');
    if (r.type !== 'done') return r.failure;
    const w = r.message;
    const sorted = [...w.timesMs].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    const latency = {
      median,
      p90: quantile(sorted, 0.9),
      min: sorted[0],
      max: sorted[sorted.length - 1],
      mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    };
    let stages: StageLatency[] = [];
    let stem: PartLatency | null = null;
    let head: PartLatency | null = null;
    let nodes: PerfResult['nodes'];
    if (w.nodes && w.nodes.length) {
      const runs = w.profileRuns ?? 1;
      const a = attribute(w.nodes, stageCount, runs, hasHead);
      const lat = (share: number) => share * median;
      stem = { share: a.stem.share, latencyMs: lat(a.stem.share) };
      head = a.head ? { share: a.head.share, latencyMs: lat(a.head.share) } : null;
      stages = a.stages.map((s) => ({
        index: s.index,
        share: s.share,
        latencyMs: lat(s.share),
        downsampleShare: s.downsampleShare,
        blocks: s.blocks.map((b) => ({ index: b.index, share: b.share, latencyMs: lat(b.share) })),
      }));
      nodes = w.nodes.map((n: NodeTime) => ({ name: n.name, op: n.op, usPerRun: n.us / runs }));
    }
    const result: PerfResult = {
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
      modelHash,
      cacheKey,
      fromCache: false,
      measuredAt: new Date().toISOString(),
      note: MEASURE_NOTE,
    };
    if (cache) cache.set(cacheKey, result);
    return result;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

type WorkerOutcome<T extends WorkerMessage['type']> = { type: 'done'; message: Extract<WorkerMessage, { type: T }> } | { type: 'failure'; failure: PerfFailure };

/** Fork the worker, send the job, and settle exactly once: the awaited message, an error, a crash, the timeout or an abort. */
function runWorker<T extends 'result' | 'exported'>(
  workerPath: string,
  job: WorkerJob | WorkerExportJob,
  timeoutMs: number,
  options: Pick<MeasureOptions, 'execPath' | 'onProgress'>,
  signal: AbortSignal | undefined,
  awaited: T,
): Promise<WorkerOutcome<T>> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    let settled = false;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const tail = () => stderr.trim().split('\n').slice(-12).join('\n');
    const kill = () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        try {
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    const finish = (o: WorkerOutcome<T>, killChild: boolean) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!killChild || !child || child.exitCode !== null || child.signalCode !== null) {
        resolve(o);
        return;
      }
      // Settle once the process is really gone (bounded), so that the caller may rely on it.
      const grace = setTimeout(() => resolve(o), 3000);
      child.once('exit', () => {
        clearTimeout(grace);
        resolve(o);
      });
      kill();
    };
    const onAbort = () => finish({ type: 'failure', failure: { ok: false, kind: 'aborted', error: 'measurement cancelled; the worker was killed' } }, true);
    try {
      child = fork(workerPath, [], {
        execPath: options.execPath,
        execArgv: [],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch (e) {
      finish({ type: 'failure', failure: { ok: false, kind: 'error', error: `cannot start the timing worker: ${e instanceof Error ? e.message : String(e)}` } }, false);
      return;
    }
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      if (stderr.length > 16384) stderr = stderr.slice(-8192);
    });
    child.on('error', (e) => finish({ type: 'failure', failure: { ok: false, kind: 'error', error: `timing worker: ${e.message}`, stderr: tail() } }, true));
    child.on('message', (m: WorkerMessage) => {
      if (!m || typeof m !== 'object') return;
      if (m.type === 'progress') options.onProgress?.({ phase: m.phase, done: m.done, total: m.total });
      else if (m.type === awaited) finish({ type: 'done', message: m as Extract<WorkerMessage, { type: T }> }, false);
      else if (m.type === 'error') finish({ type: 'failure', failure: { ok: false, kind: 'error', error: `onnxruntime: ${m.message}`, stderr: tail() } }, true);
    });
    child.on('exit', (code, sig) => {
      finish(
        {
          type: 'failure',
          failure: {
            ok: false,
            kind: 'crash',
            error: `the timing worker exited ${sig ? `on ${sig}` : `with code ${code}`} before reporting a result`,
            stderr: tail(),
          },
        },
        false,
      );
    });
    timer = setTimeout(
      () => finish({ type: 'failure', failure: { ok: false, kind: 'timeout', error: `no result after ${Math.round(timeoutMs / 1000)} s; the worker was killed`, stderr: tail() } }, true),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) {
      onAbort();
      return;
    }
    options.onProgress?.({ phase: 'spawned', pid: child.pid });
    child.send(job, (err) => {
      if (err) finish({ type: 'failure', failure: { ok: false, kind: 'crash', error: `cannot reach the timing worker: ${err.message}`, stderr: tail() } }, true);
    });
  });
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
      plan = isPlan(net) ? specializePlan(net.graph, options) : planOnnx(net, options);
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
