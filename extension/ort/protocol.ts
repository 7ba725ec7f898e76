/** Messages between measure() and the timing worker (a child process, over Node's IPC channel, JSON). */

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';
export const GRAPH_OPT_LEVELS: GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

import type { OnnxPlan } from '../core/onnx/build';

export interface WorkerJob {
  type: 'job';
  /** onnxruntime-node to require (resolved by the parent), or its package name. */
  ortModule: string;
  /** The model: a plan the worker encodes (weights drawn here, off the caller's thread), or a file. */
  plan?: OnnxPlan;
  modelPath?: string;
  /** Also write the encoded model there (before timing). */
  saveModelTo?: string;
  inputName: string;
  inputDims: number[];
  /** Seed of the pseudo-random input (uniform in [-1, 1)). */
  inputSeed: number;
  threads: number;
  warmup: number;
  runs: number;
  graphOptimizationLevel: GraphOptimizationLevel;
  /** Also run a profiling session (per-node kernel times) for this many runs; 0 = none. */
  profileRuns: number;
  /** Folder for ORT's profile file (created by the parent, removed by it). */
  profileDir: string;
  /** Send every output value back (tests); otherwise only a summary. */
  returnOutputs: boolean;
}

export interface OutputSummary {
  name: string;
  dims: number[];
  finite: boolean;
  min: number;
  max: number;
  mean: number;
  /** All values, when the job asked for them. */
  values?: number[];
}

export interface NodeTime {
  /** Node name as ORT reports it (possibly a fused or layout-transformed node: "stage1.block0.conv1.relu_nchwc"). */
  name: string;
  op: string;
  /** Kernel time summed over all profiled runs, microseconds. */
  us: number;
  calls: number;
}

/** Encode a plan and write it to a file; no ORT. */
export interface WorkerExportJob {
  type: 'export';
  plan: OnnxPlan;
  path: string;
}

export interface WorkerExported {
  type: 'exported';
  path: string;
  bytes: number;
}

export interface WorkerResult {
  type: 'result';
  ortVersion: string;
  /** Wall time of each timed run, ms. */
  timesMs: number[];
  sessionMs: number;
  outputs: OutputSummary[];
  /** Per-node kernel times in first-execution order, when profiled. */
  nodes?: NodeTime[];
  profileRuns?: number;
}

export interface WorkerProgress {
  type: 'progress';
  phase: 'loaded' | 'session' | 'warmup' | 'timing' | 'profiling';
  done?: number;
  total?: number;
}

export interface WorkerError {
  type: 'error';
  message: string;
  stack?: string;
}

export type WorkerMessage = WorkerResult | WorkerExported | WorkerProgress | WorkerError;
