/** Colour for the terminal and JSON for the CLI; the plain-text table lives in core/textTable.ts (numbers, shapes and percentages: core/format.ts). */
import { type Colours, NO_COLOURS } from '../core/textTable';

export { type Colours, type Column, NO_COLOURS, table, visibleLength } from '../core/textTable';

const sgr = (open: number, close: number) => (s: string) => (s ? `\x1b[${open}m${s}\x1b[${close}m` : s);

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

/** JSON with two-space indentation, but arrays of numbers (shapes) kept on one line: [1, 3, 224, 224]. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:-?[\d.eE+-]+|null)(?:,\s*(?:-?[\d.eE+-]+|null))*)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`);
}
