/**
 * The compare view's messages (extension/features/compare/panel.ts ⇄ webview/compare/main.ts), both directions,
 * each with its validator: the page checks what it draws from, the host checks what the page asks. Pure.
 */
import { isColumnKey, type ColumnKey } from './columns';
import type { CompareRow, FindingCounts, RowAccuracy } from './row';

/** A row as the view shows it: the row and the name it is shown by (the path relative to the workspace). */
export interface ViewRow {
  label: string;
  row: CompareRow;
  /** A HAT run on this config is in progress / the last run failed. */
  status?: 'running' | 'failed';
}

/** Extension host → compare page. */
export type CompareHostMessage = { type: 'rows'; rows: ViewRow[]; computeMs: number } | { type: 'select'; files: string[] };

/** What the page drew (for the tests and the bench). */
export interface CompareRendered {
  rows: number;
  /** Rows in the table that are selected (brushed or clicked). */
  selected: string[];
  /** Points on the scatter, and those on the Pareto frontier (files). */
  points: number;
  frontier: string[];
  x: ColumnKey;
  y: ColumnKey;
  columns: ColumnKey[];
  drawMs: number;
}

/** Compare page → extension host. */
export type CompareWebviewMessage =
  | { type: 'ready' }
  | { type: 'open'; file: string }
  | { type: 'exportCsv'; columns: ColumnKey[] }
  | { type: 'exportSvg'; svg: string }
  | ({ type: 'rendered' } & CompareRendered);

/** The largest SVG the page may hand the host to save. */
export const MAX_SVG_CHARS = 8 * 1024 * 1024;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number | null => x === null || (typeof x === 'number' && Number.isFinite(x));
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

function isFindings(x: unknown): x is FindingCounts | null {
  return x === null || (isObj(x) && isCount(x.errors) && isCount(x.warnings) && isCount(x.hints));
}

function isAccuracy(x: unknown): x is RowAccuracy {
  return isObj(x) && isNum(x.float) && isNum(x.calibration) && isNum(x.int_infer);
}

export function isCompareRow(x: unknown): x is CompareRow {
  if (!isObj(x) || typeof x.file !== 'string') return false;
  for (const k of ['params', 'macs', 'activationBytes', 'latencyMs', 'fps', 'j5LatencyMs'] as const) if (!isNum(x[k])) return false;
  if (!(x.perfSource === null || x.perfSource === 'compile_perf' || x.perfSource === 'board')) return false;
  return isAccuracy(x.accuracy) && isFindings(x.findings);
}

function isViewRow(x: unknown): x is ViewRow {
  return isObj(x) && typeof x.label === 'string' && isCompareRow(x.row) && (x.status === undefined || x.status === 'running' || x.status === 'failed');
}

/** Validates a message from the host (the page draws only what passes). */
export function parseCompareHostMessage(x: unknown): CompareHostMessage | null {
  if (!isObj(x)) return null;
  if (x.type === 'rows') return Array.isArray(x.rows) && x.rows.every(isViewRow) && isNum(x.computeMs) && x.computeMs !== null ? { type: 'rows', rows: x.rows, computeMs: x.computeMs } : null;
  if (x.type === 'select') return isStrings(x.files) ? { type: 'select', files: x.files } : null;
  return null;
}

/** Validates a message from the page (untrusted input to the host); an invalid one is null. */
export function parseCompareWebviewMessage(x: unknown): CompareWebviewMessage | null {
  if (!isObj(x)) return null;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
      return typeof x.file === 'string' ? { type: 'open', file: x.file } : null;
    case 'exportCsv':
      return Array.isArray(x.columns) && x.columns.every(isColumnKey) ? { type: 'exportCsv', columns: x.columns } : null;
    case 'exportSvg':
      return typeof x.svg === 'string' && x.svg.length <= MAX_SVG_CHARS && x.svg.startsWith('<svg') ? { type: 'exportSvg', svg: x.svg } : null;
    case 'rendered':
      if (!isCount(x.rows) || !isCount(x.points) || !isStrings(x.selected) || !isStrings(x.frontier) || !isColumnKey(x.x) || !isColumnKey(x.y)) return null;
      if (!Array.isArray(x.columns) || !x.columns.every(isColumnKey) || typeof x.drawMs !== 'number') return null;
      return { type: 'rendered', rows: x.rows, points: x.points, selected: x.selected, frontier: x.frontier, x: x.x, y: x.y, columns: x.columns, drawMs: x.drawMs };
    default:
      return null;
  }
}
