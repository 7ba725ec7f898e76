/**
 * The HAT results history view (extension/features/tasks/history.ts ⇄ webview/history/main.ts): the typed messages
 * of both directions with their validators, and the chart's series — which stage's runs feed which line. Pure: no
 * vscode, no DOM; the host and the page both import it.
 */
import { isRunRecord, type LatestResults, type RunRecord } from './results';
import { stageSpec } from './stages';

/** A line of the chart; the keys are those of the latest results (compile_perf's FPS is `compile`). */
export type HistorySeriesKey = Exclude<keyof LatestResults, 'last' | 'count'>;

export interface HistorySeries {
  key: HistorySeriesKey;
  label: string;
  color: string;
  /** Accuracy (left axis, %) or FPS (right axis). */
  kind: 'acc' | 'fps';
}

/** The chart's lines, in legend order. */
export const HISTORY_SERIES: readonly HistorySeries[] = [
  { key: 'float', label: 'float', color: '#4e79a7', kind: 'acc' },
  { key: 'calib', label: 'calibration', color: '#f28e2b', kind: 'acc' },
  { key: 'int', label: 'int (quantized)', color: '#59a14f', kind: 'acc' },
  { key: 'bpu', label: 'simulated on-board', color: '#b07aa1', kind: 'acc' },
  { key: 'compile', label: 'compile_perf FPS', color: '#e15759', kind: 'fps' },
  { key: 'board', label: 'board FPS', color: '#9c755f', kind: 'fps' },
];

/** The series a run of this stage feeds: the stage's summary number (stages.ts), `board` for on-board imports. */
export function seriesOf(stage: string): HistorySeriesKey | undefined {
  if (stage === 'board') return 'board';
  const key = stageSpec(stage)?.summary;
  return key === 'fps' ? 'compile' : key;
}

// ---------------------------------------------------------------------------------------- messages

/** Extension host → history webview. */
export type HistoryHostMessage = { type: 'data'; config: string; now: string; runs: RunRecord[] };

/** What the page drew: points of the accuracy and FPS series, and table rows. */
export interface HistoryRendered {
  accuracyPoints: number;
  fpsPoints: number;
  rows: number;
}

/** History webview → extension host. */
export type HistoryWebviewMessage = { type: 'ready' } | ({ type: 'rendered' } & HistoryRendered);

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** Validates a message from the history webview (it is untrusted input to the host). */
export function parseHistoryWebviewMessage(x: unknown): HistoryWebviewMessage | null {
  if (!isObj(x)) return null;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'rendered':
      return isCount(x.accuracyPoints) && isCount(x.fpsPoints) && isCount(x.rows) ? { type: 'rendered', accuracyPoints: x.accuracyPoints, fpsPoints: x.fpsPoints, rows: x.rows } : null;
    default:
      return null;
  }
}

/** Validates a message from the host (the page checks what it draws from): every run must be well-formed. */
export function parseHistoryHostMessage(x: unknown): HistoryHostMessage | null {
  if (!isObj(x) || x.type !== 'data') return null;
  if (typeof x.config !== 'string' || typeof x.now !== 'string' || !Array.isArray(x.runs) || !x.runs.every(isRunRecord)) return null;
  return { type: 'data', config: x.config, now: x.now, runs: x.runs };
}
