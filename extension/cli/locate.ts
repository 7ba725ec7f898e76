/** 1-based line/column locations, as compilers, JSON consumers and SARIF count them. */
import type { LineIndex, Range } from '../core/text';

export interface Loc {
  /** 1-based line of the first character. */
  line: number;
  /** 1-based UTF-16 column of the first character. */
  column: number;
  endLine: number;
  /** 1-based column just after the last character (exclusive end, as in SARIF). */
  endColumn: number;
}

export function toLoc(lines: LineIndex, r: Range): Loc {
  const s = lines.positionAt(r.start);
  const e = lines.positionAt(Math.max(r.start, r.end));
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}
