/**
 * Plain-text tables for terminals and plain-text reports (the CLI, the diff's text form): cells may
 * carry colour codes, which do not count towards a column's width. Pure: no Node, no vscode.
 */

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

export const NO_COLOURS: Colours = { bold: id, dim: id, red: id, yellow: id, blue: id, cyan: id, green: id };

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
