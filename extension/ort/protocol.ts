/** Messages between measure() and the timing worker (a child process, over Node's IPC channel, JSON). */

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';
export const GRAPH_OPT_LEVELS: GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

import type { OnnxPlan } from '../core/onnx/build';

/** What a timing job runs the model with (both job kinds). */
export interface TimingSettings {
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
  /** Folder for ORT's profile files (and the optimised int8 model), created and removed by the parent. */
  profileDir: string;
}

export interface WorkerJob extends TimingSettings {
  type: 'job';
  /** onnxruntime-node to require (resolved by the parent), or its package name. */
  ortModule: string;
  /** The model: a plan the worker encodes (weights drawn here, off the caller's thread), or a file. */
  plan?: OnnxPlan;
  modelPath?: string;
  /** Also write the encoded model there (before timing). */
  saveModelTo?: string;
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
  phase: 'loaded' | 'session' | 'warmup' | 'timing' | 'profiling' | 'calibrating' | 'comparing';
  done?: number;
  total?: number;
}

export interface WorkerError {
  type: 'error';
  message: string;
  stack?: string;
}

export type WorkerMessage = WorkerResult | WorkerExported | WorkerProgress | WorkerError | WorkerPrecisionResult;

// ---------------------------------------------------------------------------------------------
// fp32 and int8 side by side (issue 15).
// ---------------------------------------------------------------------------------------------

export type Precision = 'fp32' | 'int8';

export interface CalibrationJob {
  method: 'minmax' | 'percentile';
  percentile: number;
  /** Seeded inputs (uniform in [-1, 1), seeds seed, seed+1, …) when no files are given. */
  samples: number;
  seed: number;
  /** The user's own inputs (paths), decoded by core/onnx/calibrationData. */
  files?: string[];
}

/**
 * Time a network plan in fp32 and/or int8 in one process: the int8 model is calibrated (the fp32 model with
 * every quantized tensor as an extra output, run on the calibration inputs), built as QDQ by the core,
 * checked for fusion (ORT's optimised model saved and read back), compared with fp32 stage by stage, then
 * both are timed with their runs interleaved (so that load from other processes hits both alike).
 */
export interface WorkerPrecisionJob extends TimingSettings {
  type: 'precisions';
  ortModule: string;
  plan: OnnxPlan;
  precisions: Precision[];
  calibration: CalibrationJob;
  /** Inputs the stage errors are measured on (seeded, not the calibration ones; the files when given). */
  errorSamples: number;
  /** Write the models: fp32 encoded from `plan` (or exportPlan), int8 the QDQ of exportPlan with the calibrated scales. */
  save?: { fp32?: string; int8?: string; exportPlan?: OnnxPlan };
}

export interface StageError {
  /** Stage index, or -1 for the network's output. */
  index: number;
  sqnrDb: number | null;
  cosine: number | null;
}

export interface WorkerPrecisionTiming {
  timesMs: number[];
  sessionMs: number;
  outputs: OutputSummary[];
  nodes?: NodeTime[];
  profileRuns?: number;
}

export interface WorkerInt8Facts {
  /** Nodes of ORT's optimised int8 model (opType and name). */
  optimizedNodes: { opType: string; name: string }[];
  calibrationMs: number;
  /** CPU time of the calibration (user + system, all threads). */
  calibrationCpuMs: number;
  calibrationSamples: number;
  /** Files skipped, with why. */
  skipped: string[];
  stageErrors: StageError[];
  errorSamples: number;
}

export interface WorkerPrecisionResult {
  type: 'precisions';
  ortVersion: string;
  fp32?: WorkerPrecisionTiming;
  int8?: WorkerPrecisionTiming & WorkerInt8Facts;
}
