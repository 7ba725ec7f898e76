/**
 * Pure helpers of the graph webview: number and shape formatting, measures, text fitting, edge paths.
 * No DOM globals here, so the unit tests (mocha in Node) can import this module.
 */
import type { GraphNode, Measure, Shape3, StageRow } from '../extension/core/graph/types';
import { compact, fmtBytes, fmtMs, fmtShape, fmtShare } from '../extension/core/format';

// Numbers and shapes are formatted by the core's one module (bundled in); these names are the webview's.

/** 1234567 → "1.23M", 1000 → "1K", 950 → "950", null → "?" (3 significant digits, SI prefix). */
export function formatCount(n: number | null | undefined): string {
  return compact(n, { trimZeros: true });
}

/** Bytes → "12.3 MB" (decimal units, as the core's totals). */
export const formatBytes: (n: number | null | undefined) => string = fmtBytes;

/** Milliseconds → "0.56 ms", "12.4 ms", "1.20 s". */
export const formatMs: (n: number | null | undefined) => string = fmtMs;

/** (64, 28, 28) → "64×28×28"; null → "?". */
export const formatShape: (s: Shape3 | readonly number[] | null | undefined) => string = fmtShape;

/** Share 0..1 → "12.3%". */
export const formatShare: (x: number | null | undefined) => string = fmtShare;

export const MEASURE_LABEL: Record<Measure, string> = {
  macs: 'MACs',
  params: 'Parameters',
  activation: 'Activation bytes',
  time: 'Measured time',
};

/** The value a node is coloured by, or null when unknown. */
export function measureValue(n: Pick<GraphNode, 'macs' | 'params' | 'activationBytes' | 'timeMs'>, m: Measure): number | null {
  switch (m) {
    case 'macs':
      return n.macs;
    case 'params':
      return n.params;
    case 'activation':
      return n.activationBytes;
    case 'time':
      return n.timeMs;
  }
}

export function formatMeasure(v: number | null, m: Measure): string {
  switch (m) {
    case 'macs':
      return formatCount(v);
    case 'params':
      return formatCount(v);
    case 'activation':
      return formatBytes(v);
    case 'time':
      return formatMs(v);
  }
}

/** Stage-table value of a column, for sorting. */
export type StageColumn = 'index' | 'label' | 'ops' | 'blocks' | 'params' | 'macs' | 'share' | 'outShape' | 'outStride' | 'timeMs';

export function stageSortKey(r: StageRow, c: StageColumn): number | string {
  switch (c) {
    case 'index':
      return r.index;
    case 'label':
      return r.label;
    case 'ops':
      return r.ops;
    case 'blocks':
      return r.blocks;
    case 'params':
      return r.params ?? -1;
    case 'macs':
      return r.macs ?? -1;
    case 'share':
      return r.share ?? -1;
    case 'outShape':
      return r.outShape ? r.outShape[0] * r.outShape[1] * r.outShape[2] : -1;
    case 'outStride':
      return r.outStride ?? -1;
    case 'timeMs':
      return r.timeMs ?? -1;
  }
}

/** Sorts stage rows by a column (stable; ties keep the stage order). */
export function sortStages(rows: readonly StageRow[], c: StageColumn, descending: boolean): StageRow[] {
  const withIndex = rows.map((r, i) => ({ r, i }));
  withIndex.sort((a, b) => {
    const ka = stageSortKey(a.r, c);
    const kb = stageSortKey(b.r, c);
    let d = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb), undefined, { numeric: true });
    if (descending) d = -d;
    return d !== 0 ? d : a.i - b.i;
  });
  return withIndex.map((x) => x.r);
}

/**
 * Cuts a text to fit `maxWidth` pixels at an average of `charWidth` pixels a character, with an ellipsis.
 * An estimate (no measuring in the DOM: that would cost a layout per node).
 */
export function fitText(text: string, maxWidth: number, charWidth: number): string {
  const max = Math.floor(maxWidth / charWidth);
  if (max <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max === 1) return '…';
  return chars.slice(0, max - 1).join('').trimEnd() + '…';
}

/**
 * An SVG path through a polyline with rounded corners (radius up to `r`, less where segments are short).
 * Straight runs stay straight, so edges read as a clean orthogonal/diagonal route.
 */
export function roundedPath(points: readonly (readonly [number, number])[], r: number): string {
  const p = dedupe(points);
  if (p.length === 0) return '';
  const f = (x: number) => (Math.round(x * 10) / 10).toString();
  if (p.length === 1) return `M${f(p[0][0])},${f(p[0][1])}`;
  let d = `M${f(p[0][0])},${f(p[0][1])}`;
  for (let i = 1; i < p.length - 1; i++) {
    const [x0, y0] = p[i - 1];
    const [x1, y1] = p[i];
    const [x2, y2] = p[i + 1];
    const l1 = Math.hypot(x1 - x0, y1 - y0);
    const l2 = Math.hypot(x2 - x1, y2 - y1);
    const rr = Math.min(r, l1 / 2, l2 / 2);
    if (rr < 0.5) {
      d += `L${f(x1)},${f(y1)}`;
      continue;
    }
    const ax = x1 - ((x1 - x0) / l1) * rr;
    const ay = y1 - ((y1 - y0) / l1) * rr;
    const bx = x1 + ((x2 - x1) / l2) * rr;
    const by = y1 + ((y2 - y1) / l2) * rr;
    d += `L${f(ax)},${f(ay)}Q${f(x1)},${f(y1)} ${f(bx)},${f(by)}`;
  }
  const last = p[p.length - 1];
  d += `L${f(last[0])},${f(last[1])}`;
  return d;
}

function dedupe(points: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const q of points) {
    if (!Number.isFinite(q[0]) || !Number.isFinite(q[1])) continue;
    const prev = out[out.length - 1];
    if (prev && Math.abs(prev[0] - q[0]) < 1e-6 && Math.abs(prev[1] - q[1]) < 1e-6) continue;
    out.push([q[0], q[1]]);
  }
  return out;
}

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/**
 * Replaces every `var(--name[, fallback])` in a CSS text with the value the theme gives `--name`
 * (from `vars`), else its fallback (itself resolved), else `fallbackAll`. Used by the SVG export: the
 * file must render outside VS Code, where the `--vscode-*` variables do not exist.
 */
export function resolveCssVars(css: string, vars: (name: string) => string | undefined, fallbackAll = 'currentColor'): string {
  let out = '';
  let i = 0;
  for (;;) {
    const j = css.indexOf('var(', i);
    if (j < 0) return out + css.slice(i);
    out += css.slice(i, j);
    // Find the matching close paren.
    let depth = 0;
    let k = j + 3;
    for (; k < css.length; k++) {
      const ch = css[k];
      if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth === 0) break;
      }
    }
    const inner = css.slice(j + 4, k);
    const comma = inner.indexOf(',');
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
    const fb = comma < 0 ? undefined : inner.slice(comma + 1).trim();
    const v = vars(name)?.trim();
    out += v ? v : fb !== undefined && fb !== '' ? resolveCssVars(fb, vars, fallbackAll) : fallbackAll;
    i = k + 1;
  }
}

/** The `--vscode-*` (and other custom property) names a CSS text uses. */
export function cssVarNames(css: string): string[] {
  const set = new Set<string>();
  for (const m of css.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)/g)) set.add(m[1]);
  return [...set];
}
