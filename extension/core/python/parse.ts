/**
 * Error-tolerant Python parsing with @lezer/python.
 *
 * The lezer tree is converted into a small position-carrying tree (PNode) so that
 * top-level statements re-parsed on their own (to recover from an unclosed bracket,
 * which makes lezer swallow the rest of the file) can be spliced back with their
 * real offsets.
 *
 * Brackets are also matched on their own (brackets.ts): an unclosed or stray bracket is reported
 * once, at the bracket itself, instead of the errors lezer finds where it gives up; a statement
 * nested deeper than Python allows (200 brackets) is reported and not parsed at all. Parsing
 * stops at the analysis' deadline (budget.ts): the statements parsed by then are kept.
 */
import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';
import type { Range } from '../text';
import { type AnalysisStop, budgetText, Meter, NO_LIMITS, PARSE_SHARE } from './budget';
import { type BracketProblem, bracketProblems, findDeepNesting } from './brackets';

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
  /** Parsing stopped at the deadline: the text from `stopped.range.start` on is not parsed. */
  stopped?: AnalysisStop;
}

const ERROR = '⚠';

/** The lezer tree as PNodes, offsets shifted by `offset` (iterative: a deep tree does not overflow the stack). */
function convert(tree: Tree, offset: number): PNode {
  const cursor = tree.cursor();
  const root: PNode = { type: cursor.type.isError ? ERROR : cursor.type.name, from: cursor.from + offset, to: cursor.to + offset, children: [], error: cursor.type.isError };
  const stack: PNode[] = [root];
  if (!cursor.firstChild()) return root;
  for (;;) {
    if (cursor.type.name !== 'Comment') {
      const node: PNode = { type: cursor.type.isError ? ERROR : cursor.type.name, from: cursor.from + offset, to: cursor.to + offset, children: [], error: cursor.type.isError };
      stack[stack.length - 1].children.push(node);
      if (cursor.firstChild()) {
        stack.push(node);
        continue;
      }
    }
    while (!cursor.nextSibling()) {
      if (!cursor.parent() || stack.length === 1) return finishErrors(root);
      stack.pop();
    }
  }
}

/** Set `error` on every node that contains an error node (bottom-up, iteratively). */
function finishErrors(root: PNode): PNode {
  const order: PNode[] = [];
  walk(root, (n) => {
    order.push(n);
  });
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    if (!n.error && n.children.some((c) => c.error)) n.error = true;
  }
  return root;
}

function collectErrors(root: PNode, text: string, out: SyntaxErrorInfo[]): void {
  walk(root, (node) => {
    if (!node.error) return false;
    if (node.type !== ERROR) return true;
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
    return false;
  });
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

/** Parse text with lezer, stopping at the meter's deadline: the tree, and where parsing stopped if it did. */
function lezerParse(text: string, meter: Meter): { tree: Tree; stoppedAt?: number } {
  const parse = parser.startParse(text);
  for (let i = 1; ; i++) {
    const tree = parse.advance();
    if (tree) return { tree };
    if (i % 64 === 0 && meter.timeUp(PARSE_SHARE)) {
      const at = parse.parsedPos;
      parse.stopAt(at);
      for (;;) {
        const t = parse.advance();
        if (t) return { tree: t, stoppedAt: at };
      }
    }
  }
}

/** Parse a Python module, recovering statement by statement where the whole-file parse failed. */
export function parsePython(text: string, meter: Meter = new Meter(NO_LIMITS)): ParsedModule {
  // A statement nested deeper than Python allows is reported and blanked out before lezer sees it.
  const deep = findDeepNesting(text);
  const source = deep.length ? blank(text, deep) : text;
  const whole = lezerParse(source, meter);
  const root = convert(whole.tree, 0);
  const deepErrors = deep.map((d): SyntaxErrorInfo => ({ range: { start: d.at, end: d.at + 1 }, message: 'Too many nested brackets (Python allows 200): this statement is not analysed' }));
  const stop: { at?: AnalysisStop } = {};
  const stopAt = (at: number) => {
    const eol = text.indexOf('\n', at);
    stop.at = { kind: 'time', phase: 'parse', range: { start: at, end: Math.max(at, eol < 0 ? text.length : eol) }, why: budgetText('time', meter.limits) };
  };
  let statements: PNode[];
  let recovered = false;
  const starts = topLevelStarts(source);
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
  if (whole.stoppedAt !== undefined) {
    // The deadline passed: keep the statements lezer finished before it, without recovery.
    statements = root.children.filter((st) => st.to < whole.stoppedAt!);
    stopAt(statements.length ? nextLineStart(text, statements[statements.length - 1].to) : 0);
  } else if (!root.error) {
    return { text, statements: root.children, syntaxErrors: deepErrors, recovered: false };
  } else {
    statements = [];
    let coveredTo = 0;
    for (const stmt of root.children) {
      if (stop.at) break;
      if (stmt.to <= coveredTo && stmt.from < coveredTo) continue;
      if (!stmt.error) {
        if (stmt.from >= coveredTo) statements.push(stmt);
        continue;
      }
      // Re-parse every top-level chunk the broken statement spans, each on its own.
      const first = Math.max(0, chunkOf(Math.max(stmt.from, coveredTo)));
      const lastChunk = chunkOf(Math.max(stmt.from, stmt.to - 1));
      const regionEnd = Math.max(stmt.to, lastChunk + 1 < starts.length ? starts[lastChunk + 1] : text.length);
      recovered = true;
      if (starts.length === 0) {
        statements.push(stmt);
        continue;
      }
      if (first === lastChunk && stmt.from === starts[first] && stmt.from >= coveredTo) {
        // A broken statement that starts its chunk and ends inside it: parsed on its own, it would
        // come out the same (lezer starts it from the same state). Not parsed twice.
        statements.push(stmt);
        coveredTo = stmt.to;
        continue;
      }
      for (let c = first; c <= lastChunk; c++) {
        const a = Math.max(starts[c], coveredTo);
        const b = c + 1 < starts.length ? starts[c + 1] : text.length;
        if (b <= a) continue;
        const part = meter.timeUp(PARSE_SHARE) ? undefined : lezerParse(source.slice(a, b), meter);
        if (!part || part.stoppedAt !== undefined) {
          stopAt(a);
          break;
        }
        statements.push(...convert(part.tree, a).children);
      }
      coveredTo = Math.max(coveredTo, regionEnd);
    }
  }
  const lezerErrors: SyntaxErrorInfo[] = [];
  for (const s of statements) collectErrors(s, text, lezerErrors);
  const syntaxErrors = [...deepErrors, ...explainByBrackets(lezerErrors, bracketProblems(source), (o) => chunkRange(starts, chunkOf, o, text.length))];
  syntaxErrors.sort((x, y) => x.range.start - y.range.start);
  // Keep the first error of each line: lezer often reports a cascade.
  const seen = new Set<number>();
  const lineOf = (o: number) => text.lastIndexOf('\n', o - 1);
  const deduped = syntaxErrors.filter((e) => {
    const l = lineOf(e.range.start);
    if (seen.has(l)) return false;
    seen.add(l);
    return true;
  });
  return { text, statements, syntaxErrors: deduped, recovered, stopped: stop.at };
}

/** The offset of the line after the one holding `offset` (or the end of the text). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The top-level chunk holding an offset: from its statement's first line to the next one's. */
function chunkRange(starts: number[], chunkOf: (o: number) => number, offset: number, end: number): Range {
  const c = chunkOf(offset);
  return { start: c < 0 ? 0 : starts[c], end: c + 1 < starts.length ? starts[c + 1] : end };
}

/**
 * Where a bracket was never closed (or a closing one has no opening one), lezer reports where it
 * gives up — often lines later, several times. Each such problem replaces every lezer error in the
 * chunks between its bracket and where it was found: one error, at the bracket. A problem in
 * chunks where lezer found nothing wrong is the bracket scan's guess going wrong (a continuation
 * line written flush left): it is not reported.
 */
function explainByBrackets(lezerErrors: SyntaxErrorInfo[], problems: BracketProblem[], chunk: (offset: number) => Range): SyntaxErrorInfo[] {
  const out = lezerErrors.slice();
  const explained = new Set<SyntaxErrorInfo>();
  const added: SyntaxErrorInfo[] = [];
  for (const p of problems) {
    const from = chunk(p.range.start).start;
    const to = chunk(Math.max(p.range.start, p.foundAt)).end;
    const inside = out.filter((e) => e.range.start >= from && e.range.start < to);
    if (inside.length === 0) continue;
    for (const e of inside) explained.add(e);
    added.push({ range: p.range, message: p.message });
  }
  return [...out.filter((e) => !explained.has(e)), ...added];
}

/** The text with the given regions replaced by spaces (line breaks kept, so offsets and lines stay). */
function blank(text: string, regions: { from: number; to: number }[]): string {
  let out = '';
  let pos = 0;
  for (const r of regions) {
    out += text.slice(pos, r.from) + text.slice(r.from, r.to).replace(/[^\r\n]/g, ' ');
    pos = r.to;
  }
  return out + text.slice(pos);
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

/** Depth-first walk, in document order; return false from the visitor to skip a node's children. (Iterative: a deep tree does not overflow the stack.) */
export function walk(node: PNode, visit: (n: PNode) => boolean | void): void {
  const stack: PNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
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
