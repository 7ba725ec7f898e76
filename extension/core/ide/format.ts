/** Number and shape formatting shared by the editor features (status bar, hovers, completion, summary). */
import { escapeMarkdown } from '../markdown';

/** 3 significant digits with K/M/G: 2310744 → "2.31M", 12345 → "12.3K", 999 → "999". */
export function compact(n: number): string {
  const abs = Math.abs(n);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of units) {
    if (abs >= scale * 0.9995) {
      const v = n / scale;
      return `${trimDigits(v)}${suffix}`;
    }
  }
  return Number.isInteger(n) ? String(n) : trimDigits(n);
}

function trimDigits(v: number): string {
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return v.toFixed(digits);
}

/** "2.31M params". */
export function fmtParams(n: number | null | undefined): string {
  return n === null || n === undefined ? '? params' : `${compact(n)} params`;
}

/** MACs with a unit prefix: 1033746432 → "1.03 GMAC", 58000 → "58.0 KMAC". */
export function fmtMacs(n: number | null | undefined): string {
  if (n === null || n === undefined) return '? MAC';
  const c = compact(n);
  const m = /^(-?[\d.]+)([KMGT]?)$/.exec(c);
  return m ? `${m[1]} ${m[2]}MAC` : `${c} MAC`;
}

/** Thousands separators: 2310744 → "2,310,744". */
export function grouped(n: number | null | undefined): string {
  if (n === null || n === undefined) return '?';
  return n.toLocaleString('en-US');
}

/** C×H×W. */
export function fmtShape(s: readonly number[] | null | undefined): string {
  return s ? s.join('×') : '?';
}

export function pct(part: number | null | undefined, whole: number | null | undefined): string {
  if (part === null || part === undefined || !whole) return '–';
  const p = (100 * part) / whole;
  return `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** Text for a markdown table cell: shown as it is (escapeMarkdown also keeps a `|` from splitting the cell). */
export function cell(s: string): string {
  return escapeMarkdown(s);
}

export function mdTable(header: string[], rows: string[][], align?: ('l' | 'r' | 'c')[]): string {
  const sep = header.map((_, i) => {
    const a = align?.[i] ?? 'l';
    return a === 'r' ? '---:' : a === 'c' ? ':---:' : '---';
  });
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${sep.join('|')}|`, ...rows.map(line)].join('\n');
}
