/**
 * The columns of the compare table (and the axes of its scatter): their labels, which way is better, how a row's
 * value is read and shown; which columns differ between rows; the table as CSV. Pure: the webview, the host and the
 * CLI all use these.
 */
import { compact, fmtBytes, fmtMacs, msFigure } from '../format';
import { fpsText } from '../hat/format';
import type { Direction } from './pareto';
import type { CompareRow } from './row';

export type ColumnKey =
  | 'params'
  | 'macs'
  | 'activationBytes'
  | 'latencyMs'
  | 'accFloat'
  | 'accCalibration'
  | 'accInt'
  | 'fps'
  | 'j5LatencyMs'
  | 'errors'
  | 'warnings'
  | 'hints';

export interface Column {
  key: ColumnKey;
  /** The table header and the axis title. */
  label: string;
  /** Which way is better (the Pareto frontier's direction on this axis). */
  better: Direction;
  value: (r: CompareRow) => number | null;
  /** The value as a person reads it ('' when unknown). */
  text: (v: number) => string;
}

const fixed = (d: number, unit = '') => (v: number) => `${v.toFixed(d)}${unit}`;
const count = (v: number) => String(v);

export const COLUMNS: readonly Column[] = [
  { key: 'params', label: 'params', better: 'min', value: (r) => r.params, text: (v) => compact(v) },
  { key: 'macs', label: 'MACs', better: 'min', value: (r) => r.macs, text: (v) => fmtMacs(v) },
  { key: 'activationBytes', label: 'activations', better: 'min', value: (r) => r.activationBytes, text: (v) => fmtBytes(v) },
  { key: 'latencyMs', label: 'CPU latency (ms)', better: 'min', value: (r) => r.latencyMs, text: (v) => msFigure(v) },
  { key: 'accFloat', label: 'float acc (%)', better: 'max', value: (r) => r.accuracy.float, text: fixed(2) },
  { key: 'accCalibration', label: 'calib acc (%)', better: 'max', value: (r) => r.accuracy.calibration, text: fixed(2) },
  { key: 'accInt', label: 'int acc (%)', better: 'max', value: (r) => r.accuracy.int_infer, text: fixed(2) },
  { key: 'fps', label: 'J5 FPS', better: 'max', value: (r) => r.fps, text: fpsText },
  { key: 'j5LatencyMs', label: 'J5 latency (ms)', better: 'min', value: (r) => r.j5LatencyMs, text: fixed(2) },
  { key: 'errors', label: 'errors', better: 'min', value: (r) => r.findings?.errors ?? null, text: count },
  { key: 'warnings', label: 'warnings', better: 'min', value: (r) => r.findings?.warnings ?? null, text: count },
  { key: 'hints', label: 'hints', better: 'min', value: (r) => r.findings?.hints ?? null, text: count },
];

export const COLUMN_BY_KEY: ReadonlyMap<ColumnKey, Column> = new Map(COLUMNS.map((c) => [c.key, c]));

export function isColumnKey(x: unknown): x is ColumnKey {
  return typeof x === 'string' && COLUMN_BY_KEY.has(x as ColumnKey);
}

/** A cell as shown: the column's text, or '' when unknown. */
export function cellText(c: Column, r: CompareRow): string {
  const v = c.value(r);
  return v === null ? '' : c.text(v);
}

/**
 * The columns whose values are not all the same across the rows (an unknown value differs from a known one). With
 * fewer than two rows nothing can differ: every column is returned, so one config still shows its numbers.
 */
export function differingColumns(rows: readonly CompareRow[], columns: readonly Column[] = COLUMNS): Column[] {
  if (rows.length < 2) return [...columns];
  return columns.filter((c) => {
    const first = c.value(rows[0]);
    return rows.some((r) => c.value(r) !== first);
  });
}

/**
 * The default axes of the scatter: accuracy (int, else calibration, else float) against FPS when any row has both;
 * else MACs against CPU latency when any row has both; else params against MACs.
 */
export function defaultAxes(rows: readonly CompareRow[]): { x: ColumnKey; y: ColumnKey } {
  const both = (a: ColumnKey, b: ColumnKey) => rows.some((r) => COLUMN_BY_KEY.get(a)!.value(r) !== null && COLUMN_BY_KEY.get(b)!.value(r) !== null);
  for (const acc of ['accInt', 'accCalibration', 'accFloat'] as const) if (both('fps', acc)) return { x: 'fps', y: acc };
  if (both('macs', 'latencyMs')) return { x: 'macs', y: 'latencyMs' };
  return { x: 'params', y: 'macs' };
}

function csvField(s: string): string {
  // Quote what a spreadsheet would misread; a leading =, +, - or @ would be taken for a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV (RFC 4180, CRLF line ends): `file`, then the columns' raw numbers (empty when unknown). */
export function toCsv(rows: readonly CompareRow[], columns: readonly Column[] = COLUMNS, fileOf: (r: CompareRow) => string = (r) => r.file): string {
  const lines = [['file', ...columns.map((c) => c.key)].map(csvField).join(',')];
  for (const r of rows) lines.push([csvField(fileOf(r)), ...columns.map((c) => String(c.value(r) ?? ''))].join(','));
  return lines.join('\r\n') + '\r\n';
}
