/**
 * One config as a row of the compare view, the configs view and `mvg compare`: what the analysis knows of its
 * network (params, MACs, activation bytes, findings), the CPU latency last measured for it, and the latest HAT
 * results of the results store (float / calibration / int accuracy, J5 FPS and latency). Every number that is not
 * known is null, never a guess. Pure: no vscode, no I/O.
 */
import type { AnalysisSnapshot } from '../ide/snapshot';
import { buildGraph } from '../graph/model';
import { accuracyPercent, type LatestResults, type RunRecord } from '../hat';

/** The findings of a config by severity (information counts as a hint: both are design guidance). */
export interface FindingCounts {
  errors: number;
  warnings: number;
  hints: number;
}

/**
 * What the analysis contributes to a row: computed in the analysis worker (the `compareInputs` request) or by the
 * CLI, from one snapshot.
 */
export interface RowInputs {
  /** The file mentions MixVarGENetConfig (or builds a MixVarGENet backbone). */
  relevant: boolean;
  stages: number;
  params: number | null;
  macs: number | null;
  /** Bytes of every conv's fp32 output at the analysed input (the graph preview's "activation" total). */
  activationBytes: number | null;
  findings: FindingCounts;
}

/** Latest accuracy per stage, in percent. */
export interface RowAccuracy {
  float: number | null;
  calibration: number | null;
  int_infer: number | null;
}

export interface CompareRow {
  /** The config's path as given (the CLI) or its URI (the editor). */
  file: string;
  params: number | null;
  macs: number | null;
  activationBytes: number | null;
  /** Measured CPU latency (median, batch 1) where a measurement of this network is cached; else null. */
  latencyMs: number | null;
  accuracy: RowAccuracy;
  /** J5 FPS: the most recent of compile_perf and an imported board measurement. */
  fps: number | null;
  /** J5 latency (ms) of the same record as `fps`. */
  j5LatencyMs: number | null;
  /** Where `fps` and `j5LatencyMs` come from. */
  perfSource: 'compile_perf' | 'board' | null;
  /** Null when the file could not be analysed. */
  findings: FindingCounts | null;
}

/** The row inputs of an analysed file. */
export function rowInputs(snap: AnalysisSnapshot): RowInputs {
  const hasNet = snap.relevant && (snap.stages.length > 0 || !!snap.stem);
  return {
    relevant: snap.relevant,
    stages: snap.stages.length,
    params: hasNet ? snap.params : null,
    macs: hasNet ? snap.macs : null,
    activationBytes: hasNet ? buildGraph(snap).totals.activationBytes : null,
    findings: { errors: snap.counts.error, warnings: snap.counts.warning, hints: snap.counts.hint + snap.counts.info },
  };
}

function accuracyOf(r: RunRecord | undefined): number | null {
  return r?.accuracy !== undefined && Number.isFinite(r.accuracy) ? accuracyPercent(r.accuracy) : null;
}

const num = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** The J5 figures: the later of the latest compile_perf and the latest board import (a board import wins a tie). */
export function j5Perf(latest: LatestResults): Pick<CompareRow, 'fps' | 'j5LatencyMs' | 'perfSource'> {
  const c = latest.compile;
  const b = latest.board;
  const useBoard = !!b && (!c || Date.parse(b.time) >= Date.parse(c.time));
  if (useBoard && b) return { fps: num(b.board?.fps), j5LatencyMs: num(b.board?.avgLatencyMs), perfSource: 'board' };
  if (c) return { fps: num(c.fps), j5LatencyMs: num(c.latencyMs), perfSource: 'compile_perf' };
  return { fps: null, j5LatencyMs: null, perfSource: null };
}

/** A row from its parts; `inputs` null when the file could not be analysed (every analysis number unknown). */
export function compareRow(file: string, inputs: RowInputs | null, latest: LatestResults | null, latencyMs: number | null = null): CompareRow {
  return {
    file,
    params: inputs?.params ?? null,
    macs: inputs?.macs ?? null,
    activationBytes: inputs?.activationBytes ?? null,
    latencyMs: latencyMs !== null && Number.isFinite(latencyMs) ? latencyMs : null,
    accuracy: {
      float: accuracyOf(latest?.float),
      calibration: accuracyOf(latest?.calib),
      int_infer: accuracyOf(latest?.int),
    },
    ...(latest ? j5Perf(latest) : { fps: null, j5LatencyMs: null, perfSource: null }),
    findings: inputs?.findings ?? null,
  };
}
