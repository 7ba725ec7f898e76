/**
 * The results store: per config file and stage, each run's time, command and key numbers. Pure data and functions;
 * the file I/O (atomic write) is in store.ts.
 *
 * On disk (`.mixvargenet/results.json` in the workspace folder of the config):
 *   { "version": 1, "generator": "...", "configs": { "<config path relative to the folder, /-separated>": [RunRecord, …] } }
 * Runs are oldest first. Readers must ignore fields they do not know; a newer `version` is not written over.
 */
import type { BoardPerf, LogReport } from '../logs/parse';
import type { StageId } from './stages';
import { stageSpec } from './stages';

export const STORE_VERSION = 1;
export const STORE_DIR = '.mixvargenet';
export const STORE_FILE = 'results.json';
/** Runs kept per config (oldest dropped first). */
export const MAX_RUNS_PER_CONFIG = 500;

export type RunStage = StageId | 'board';

export interface RunRecord {
  /** Unique within the store (time-based). */
  id: string;
  stage: RunStage;
  /** When the run ended (ISO 8601). */
  time: string;
  startedAt?: string;
  durationMs?: number;
  status: 'ok' | 'failed' | 'cancelled';
  exitCode?: number | null;
  /** The argv that ran (argv[0] is the program), or for an import the file it came from. */
  command?: string[];
  cwd?: string;
  source: 'run' | 'import';
  /** Validation: task name and every metric; `accuracy` is the headline one (0..1 as HAT prints it). */
  task?: string;
  accuracy?: number;
  metrics?: Record<string, number>;
  /** compile_perf. */
  fps?: number;
  latencyMs?: number;
  ddrMBPerFrame?: number;
  march?: string;
  hbdkVersion?: string;
  /** On-board (imported hrt_model_exec / AI Benchmark). */
  board?: BoardPerf;
  checkpoint?: string;
  failure?: { exception: string; message: string; line?: number; ranks?: number[]; repeats?: number; hint?: string };
  /** Workspace-relative path of the saved log. */
  log?: string;
  /** Things the parser could not make sense of. */
  notes?: string[];
  /** Where it ran: `local` (absent in older records) or `slurm`, with the job's id, final state and nodes. */
  launcher?: 'local' | 'slurm';
  jobId?: string;
  jobState?: string;
  nodes?: string[];
}

/**
 * A Slurm job submitted and not yet recorded: kept in the store so that a window reloaded (or another window, or
 * `mvg run`) finds it again and follows it to its end. `owner` is the process that follows it (pid on host).
 */
export interface ActiveJob {
  jobId: string;
  config: string;
  stage: StageId;
  submittedAt: string;
  /** The job's output file and the run's log, relative to the store's folder ('/'-separated). */
  output: string;
  log?: string;
  command?: string[];
  cwd?: string;
  owner?: { pid: number; host: string };
}

export interface ResultsStore {
  version: number;
  generator?: string;
  configs: Record<string, RunRecord[]>;
  /** Slurm jobs submitted and not yet recorded. */
  jobs?: ActiveJob[];
}

export function emptyStore(): ResultsStore {
  return { version: STORE_VERSION, generator: 'MixVarGENet Studio (HAT tasks)', configs: {} };
}

export type ParsedStore = { ok: true; store: ResultsStore; dropped: number } | { ok: false; error: string; newer?: boolean };

const STATUSES = new Set(['ok', 'failed', 'cancelled']);

/** A well-formed run (the store drops others; the history view checks what it is sent). */
export function isRunRecord(x: unknown): x is RunRecord {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  if (typeof r.id !== 'string' || typeof r.stage !== 'string' || typeof r.time !== 'string' || !STATUSES.has(r.status as string)) return false;
  if (r.stage !== 'board' && !stageSpec(r.stage)) return false;
  for (const k of ['accuracy', 'fps', 'latencyMs', 'ddrMBPerFrame', 'durationMs'] as const) if (r[k] !== undefined && typeof r[k] !== 'number') return false;
  if (r.command !== undefined && !(Array.isArray(r.command) && r.command.every((c) => typeof c === 'string'))) return false;
  return !Number.isNaN(Date.parse(r.time));
}

/** Parse the file's text. Malformed runs are dropped (counted); a malformed file is an error, never thrown. */
export function parseStore(text: string): ParsedStore {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) return { ok: false, error: 'not a JSON object' };
  const o = j as Record<string, unknown>;
  if (typeof o.version !== 'number') return { ok: false, error: 'no "version" number' };
  if (o.version > STORE_VERSION) return { ok: false, newer: true, error: `written by a newer version of the extension (store version ${o.version}, this one reads ${STORE_VERSION})` };
  if (!o.configs || typeof o.configs !== 'object' || Array.isArray(o.configs)) return { ok: false, error: 'no "configs" object' };
  const store = emptyStore();
  let dropped = 0;
  for (const [k, runs] of Object.entries(o.configs as Record<string, unknown>)) {
    if (!Array.isArray(runs)) {
      dropped++;
      continue;
    }
    const good = runs.filter(isRunRecord);
    dropped += runs.length - good.length;
    if (good.length) store.configs[k] = good;
  }
  if (Array.isArray(o.jobs)) {
    const jobs = o.jobs.filter(isActiveJob);
    if (jobs.length) store.jobs = jobs;
  }
  return { ok: true, store, dropped };
}

export function isActiveJob(x: unknown): x is ActiveJob {
  if (!x || typeof x !== 'object') return false;
  const j = x as Record<string, unknown>;
  return typeof j.jobId === 'string' && /^\d+$/.test(j.jobId) && typeof j.config === 'string' && typeof j.stage === 'string' && !!stageSpec(j.stage) && typeof j.output === 'string' && typeof j.submittedAt === 'string';
}

export function serializeStore(store: ResultsStore): string {
  const out: ResultsStore = { version: STORE_VERSION, generator: store.generator ?? emptyStore().generator, configs: store.configs };
  if (store.jobs?.length) out.jobs = store.jobs;
  return JSON.stringify(out, null, 2) + '\n';
}

/** Remember a submitted job (replacing an entry with the same id). */
export function addJob(store: ResultsStore, job: ActiveJob): ResultsStore {
  return { ...store, jobs: [...(store.jobs ?? []).filter((j) => j.jobId !== job.jobId), job] };
}

/** Forget a job (it has been recorded, or is gone). */
export function removeJob(store: ResultsStore, jobId: string): ResultsStore {
  const jobs = (store.jobs ?? []).filter((j) => j.jobId !== jobId);
  return { ...store, jobs: jobs.length ? jobs : undefined };
}

/** Add a run (returns a new store; the input is not changed). */
export function addRun(store: ResultsStore, configKey: string, run: RunRecord, max = MAX_RUNS_PER_CONFIG): ResultsStore {
  const runs = [...(store.configs[configKey] ?? []), run];
  runs.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return { ...store, configs: { ...store.configs, [configKey]: runs.slice(-max) } };
}

export function runsFor(store: ResultsStore, configKey: string): RunRecord[] {
  return store.configs[configKey] ?? [];
}

/** The config key: the path relative to the store's folder, '/'-separated. */
export function configKey(relativePath: string): string {
  return relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
}

export function newRunId(now: Date, rand: () => number = Math.random): string {
  return `${now.toISOString().replace(/[-:.TZ]/g, '')}-${Math.floor(rand() * 0xffffff).toString(16).padStart(6, '0')}`;
}

export interface RecordMeta {
  stage: RunStage;
  started: Date;
  ended: Date;
  exitCode?: number | null;
  cancelled?: boolean;
  command?: string[];
  cwd?: string;
  source?: 'run' | 'import';
  log?: string;
  /** The line of the config a failure points at (resolved by the caller). */
  failureLine?: number;
  failureHint?: string;
  launcher?: 'local' | 'slurm';
  jobId?: string;
  jobState?: string;
  nodes?: string[];
}

/** Turn what the parsers understood of a run's output into a record. */
export function recordFromReport(report: LogReport, meta: RecordMeta): RunRecord {
  const failed = !meta.cancelled && ((meta.exitCode !== undefined && meta.exitCode !== null && meta.exitCode !== 0) || (meta.exitCode === null && !meta.cancelled) || !!report.failure);
  const r: RunRecord = {
    id: newRunId(meta.ended),
    stage: meta.stage,
    time: meta.ended.toISOString(),
    startedAt: meta.started.toISOString(),
    durationMs: Math.max(0, meta.ended.getTime() - meta.started.getTime()),
    status: meta.cancelled ? 'cancelled' : failed ? 'failed' : 'ok',
    source: meta.source ?? 'run',
  };
  if (meta.exitCode !== undefined) r.exitCode = meta.exitCode;
  if (meta.command) r.command = meta.command;
  if (meta.cwd) r.cwd = meta.cwd;
  if (meta.log) r.log = meta.log;
  if (meta.launcher) r.launcher = meta.launcher;
  if (meta.jobId) r.jobId = meta.jobId;
  if (meta.jobState) r.jobState = meta.jobState;
  if (meta.nodes?.length) r.nodes = meta.nodes;
  const v = report.validations[report.validations.length - 1];
  if (v) {
    r.task = v.task;
    r.metrics = v.metrics;
    if (v.accuracy !== undefined) r.accuracy = v.accuracy;
  }
  const c = report.compile;
  if (c) {
    if (c.fps !== undefined) r.fps = c.fps;
    if (c.latencyMs !== undefined) r.latencyMs = c.latencyMs;
    if (c.ddrMBPerFrame !== undefined) r.ddrMBPerFrame = c.ddrMBPerFrame;
    if (c.march) r.march = c.march;
    if (c.hbdkVersion) r.hbdkVersion = c.hbdkVersion;
  }
  if (report.board) r.board = report.board;
  const ck = report.checkpoints[report.checkpoints.length - 1];
  if (ck) r.checkpoint = ck;
  if (report.failure) {
    const f = report.failure;
    r.failure = { exception: f.exception, message: f.message, ranks: f.ranks, repeats: f.repeats };
    if (meta.failureLine !== undefined) r.failure.line = meta.failureLine;
    if (meta.failureHint) r.failure.hint = meta.failureHint;
  } else if (r.status === 'failed' && meta.jobState && meta.jobState !== 'FAILED' && meta.jobState !== 'COMPLETED') {
    r.failure = { exception: meta.jobState, message: `the Slurm job ${meta.jobId ?? ''} ended ${meta.jobState}`.replace('  ', ' ') };
    if (meta.failureHint) r.failure.hint = meta.failureHint;
  } else if (r.status === 'failed') {
    r.failure = { exception: 'ExitCode', message: `exited with code ${meta.exitCode ?? 'null (killed)'}` };
    if (meta.failureHint) r.failure.hint = meta.failureHint;
  }
  const notes = [...report.notes];
  if (report.partial) notes.push('the output was cut off');
  if (notes.length) r.notes = notes.slice(0, 10);
  return r;
}

export interface LatestResults {
  float?: RunRecord;
  calib?: RunRecord;
  int?: RunRecord;
  bpu?: RunRecord;
  compile?: RunRecord;
  board?: RunRecord;
  /** The most recent run of any stage (also failed or cancelled). */
  last?: RunRecord;
  count: number;
}

/** The latest number of each kind among a config's runs (successful runs with the number only). */
export function latestResults(runs: readonly RunRecord[]): LatestResults {
  const out: LatestResults = { count: runs.length };
  for (const r of runs) {
    if (!out.last || Date.parse(r.time) >= Date.parse(out.last.time)) out.last = r;
    if (r.status !== 'ok') continue;
    const later = (cur?: RunRecord) => !cur || Date.parse(r.time) >= Date.parse(cur.time);
    if (r.stage === 'board') {
      if (r.board?.fps !== undefined && later(out.board)) out.board = r;
      continue;
    }
    const key = stageSpec(r.stage)?.summary;
    if (!key) continue;
    if (key === 'fps') {
      if (r.fps !== undefined && later(out.compile)) out.compile = r;
    } else if (r.accuracy !== undefined && later(out[key])) out[key] = r;
  }
  return out;
}

/** For other features (the graph panel): the latest results of one config in a store. */
export function latestForConfig(store: ResultsStore, key: string): LatestResults {
  return latestResults(runsFor(store, configKey(key)));
}
