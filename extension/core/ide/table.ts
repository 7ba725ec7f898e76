/** Markdown tables for the editor's documents (network summary). Numbers and shapes: core/format.ts. */
import { escapeMarkdown } from '../markdown';

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
