/**
 * Error-tolerant Python parsing with @lezer/python.
 *
 * The lezer tree is converted into a small position-carrying tree (PNode) so that
 * top-level statements re-parsed on their own (to recover from an unclosed bracket,
 * which makes lezer swallow the rest of the file) can be spliced back with their
 * real offsets.
 */
import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';
import type { Range } from '../text';

export interface PNode {
  type: string;
  from: number;
  to: number;
  children: PNode[];
  /** This node is, or contains, a syntax-error node. */
  error: boolean;
}

export interface SyntaxErrorInfo {
  range: Range;
  message: string;
}

export interface ParsedModule {
  text: string;
  /** Top-level statements, in order, after recovery. */
  statements: PNode[];
  syntaxErrors: SyntaxErrorInfo[];
  /** True when some statements come from re-parsing a region on its own. */
  recovered: boolean;
}

const ERROR = '⚠';

function convert(tree: Tree, offset: number): PNode {
  const cursor = tree.cursor();
  const build = (): PNode => {
    const node: PNode = {
      type: cursor.type.isError ? ERROR : cursor.type.name,
      from: cursor.from + offset,
      to: cursor.to + offset,
      children: [],
      error: cursor.type.isError,
    };
    if (cursor.firstChild()) {
      do {
        if (cursor.type.name === 'Comment') continue;
        const child = build();
        node.children.push(child);
        if (child.error) node.error = true;
      } while (cursor.nextSibling());
      cursor.parent();
    }
    return node;
  };
  return build();
}

function collectErrors(node: PNode, text: string, out: SyntaxErrorInfo[]): void {
  if (!node.error) return;
  if (node.type === ERROR) {
    let { from, to } = node;
    if (to <= from) {
      // A zero-width error marks a missing token. Lezer often notices it only where the next
      // statement starts: step back over blank space and whole-line comments to the last
      // character written, so the squiggle stays on the broken statement's line.
      let at = from;
      for (;;) {
        while (at > 0 && /\s/.test(text[at - 1])) at--;
        const lineStart = text.lastIndexOf('\n', at - 1) + 1;
        if (at > lineStart && at < from && text.slice(lineStart, at).trimStart().startsWith('#')) at = lineStart;
        else break;
      }
      if (at > 0 && at < from) {
        from = at - 1;
        to = at;
      } else {
        to = Math.min(text.length, from + 1);
        if (to === from && from > 0) from -= 1;
      }
    }
    const snippet = text.slice(node.from, node.to).trim();
    out.push({
      range: { start: from, end: to },
      message: snippet ? `Syntax error near '${snippet.length > 30 ? snippet.slice(0, 30) + '…' : snippet}'` : 'Syntax error: something is missing here (an unclosed bracket or a half-typed expression)',
    });
    return;
  }
  for (const c of node.children) collectErrors(c, text, out);
}

/** Offsets of lines that can start a new top-level statement. */
export function topLevelStarts(text: string): number[] {
  const starts: number[] = [];
  let lineStart = 0;
  let prevContinues = false;
  while (lineStart <= text.length) {
    let nl = text.indexOf('\n', lineStart);
    if (nl < 0) nl = text.length;
    const line = text.slice(lineStart, nl).replace(/\r$/, '');
    const first = line.charAt(0);
    const isStart =
      !prevContinues &&
      first !== '' &&
      !/[\s#)\]}]/.test(first) &&
      !/^(else|elif|except|finally)\b/.test(line);
    if (isStart) starts.push(lineStart);
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) prevContinues = /\\$/.test(line);
    if (nl >= text.length) break;
    lineStart = nl + 1;
  }
  return starts;
}

function parseRegion(text: string, from: number, to: number): PNode[] {
  const tree = parser.parse(text.slice(from, to));
  return convert(tree, from).children;
}

/** Parse a Python module, recovering statement by statement where the whole-file parse failed. */
export function parsePython(text: string): ParsedModule {
  const root = convert(parser.parse(text), 0);
  if (!root.error) {
    return { text, statements: root.children, syntaxErrors: [], recovered: false };
  }
  const starts = topLevelStarts(text);
  const chunkOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const statements: PNode[] = [];
  let coveredTo = 0;
  let recovered = false;
  for (const stmt of root.children) {
    if (stmt.to <= coveredTo && stmt.from < coveredTo) continue;
    if (!stmt.error) {
      if (stmt.from >= coveredTo) statements.push(stmt);
      continue;
    }
    // Re-parse every top-level chunk the broken statement spans, each on its own.
    const first = Math.max(0, chunkOf(Math.max(stmt.from, coveredTo)));
    const lastChunk = chunkOf(Math.max(stmt.from, stmt.to - 1));
    const regionEnd = Math.max(stmt.to, lastChunk + 1 < starts.length ? starts[lastChunk + 1] : text.length);
    if (starts.length === 0) {
      statements.push(stmt);
      continue;
    }
    for (let c = first; c <= lastChunk; c++) {
      const a = Math.max(starts[c], coveredTo);
      const b = c + 1 < starts.length ? starts[c + 1] : text.length;
      if (b <= a) continue;
      statements.push(...parseRegion(text, a, b));
    }
    coveredTo = Math.max(coveredTo, regionEnd);
    recovered = true;
  }
  const syntaxErrors: SyntaxErrorInfo[] = [];
  for (const s of statements) collectErrors(s, text, syntaxErrors);
  // Keep the first error of each line: lezer often reports a cascade.
  const seen = new Set<number>();
  const lineOf = (o: number) => text.lastIndexOf('\n', o - 1);
  const deduped = syntaxErrors.filter((e) => {
    const l = lineOf(e.range.start);
    if (seen.has(l)) return false;
    seen.add(l);
    return true;
  });
  return { text, statements, syntaxErrors: deduped, recovered };
}

/** The direct children of a node, without punctuation/keyword tokens. */
export function namedChildren(node: PNode): PNode[] {
  return node.children.filter((c) => /^[A-Z⚠]/.test(c.type));
}

/** Where a node is in the text. */
export function nodeRange(node: PNode): Range {
  return { start: node.from, end: node.to };
}

export function nodeText(text: string, node: PNode): string {
  return text.slice(node.from, node.to);
}

/** Depth-first walk; return false from the visitor to skip a node's children. */
export function walk(node: PNode, visit: (n: PNode) => boolean | void): void {
  if (visit(node) === false) return;
  for (const c of node.children) walk(c, visit);
}

/** The innermost nodes containing offset, outermost first. */
export function nodePath(statements: PNode[], offset: number): PNode[] {
  const path: PNode[] = [];
  let level: PNode[] = statements;
  for (;;) {
    const hit = level.find((n) => n.from <= offset && offset <= n.to && !(n.to === offset && n.from === offset));
    if (!hit) break;
    path.push(hit);
    level = hit.children;
  }
  return path;
}
