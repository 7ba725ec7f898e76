/** Colour and plain-text tables for the CLI (numbers, shapes and percentages: core/format.ts). */

export interface Colours {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
}

const id = (s: string) => s;
const sgr = (open: number, close: number) => (s: string) => (s ? `\x1b[${open}m${s}\x1b[${close}m` : s);

export const NO_COLOURS: Colours = { bold: id, dim: id, red: id, yellow: id, blue: id, cyan: id, green: id };
export const ANSI_COLOURS: Colours = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  blue: sgr(34, 39),
  cyan: sgr(36, 39),
  green: sgr(32, 39),
};

/** Colour only when stdout is a terminal and NO_COLOR is not set. */
export function coloursFor(io: { isTTY: boolean; env: Record<string, string | undefined> }): Colours {
  return io.isTTY && io.env.NO_COLOR === undefined ? ANSI_COLOURS : NO_COLOURS;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A plain-text table; cells may contain colour codes. `null` rows draw a rule. */
export function table(columns: Column[], rows: (string[] | null)[], c: Colours = NO_COLOURS): string {
  const widths = columns.map((col, i) => Math.max(visibleLength(col.header), ...rows.map((r) => (r ? visibleLength(r[i] ?? '') : 0))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, widths[i] - visibleLength(s)));
    return columns[i].align === 'right' ? fill + s : s + fill;
  };
  const line = (cells: string[]) => cells.map((s, i) => pad(s, i)).join('  ').replace(/\s+$/, '');
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const out = [c.bold(line(columns.map((col) => col.header)))];
  for (const r of rows) out.push(r ? line(r) : c.dim('─'.repeat(total)));
  return out.join('\n') + '\n';
}

/** JSON with two-space indentation, but arrays of numbers (shapes) kept on one line: [1, 3, 224, 224]. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:-?[\d.eE+-]+|null)(?:,\s*(?:-?[\d.eE+-]+|null))*)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`);
}
