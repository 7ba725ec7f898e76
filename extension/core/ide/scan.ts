/**
 * A bracket-aware token scan of Python source, for the editor features that must work while a
 * line is half typed (completion, signature help): which call, which argument, which string
 * the cursor is in. The lezer parse (python/parse.ts) is right about complete code; this scan
 * is right about the code around the cursor even when nothing after it parses: an unclosed
 * string ends at its line, an unclosed bracket ends at the next line that starts a statement.
 */
import type { Range } from '../text';

export type Bracket = '(' | '[' | '{';

export interface Arg {
  /** Offset just after the separator that opens the argument (bracket or comma). */
  start: number;
  /** Offset of the separator that ends it (comma or closing bracket), or where the scan stopped. */
  end: number;
  kw?: string;
  kwRange?: Range;
  /** Offset just after the `=` of a keyword argument. */
  valueStart?: number;
  /** Start of the argument's first token. */
  first?: number;
}

export interface StringLit {
  /** The whole literal, prefix and quotes included. */
  range: Range;
  contentStart: number;
  /** End of the content (the closing quote's offset, or the end of the line when unterminated). */
  contentEnd: number;
  /** Raw content (escapes not processed). */
  value: string;
  quote: string;
  terminated: boolean;
  /** Argument of the enclosing frame the literal is in (-1 outside brackets). */
  argIndex: number;
}

export interface Frame {
  kind: Bracket;
  open: number;
  /** Offset of the closing bracket; null when the bracket is never closed. */
  close: number | null;
  /** For `(` frames: the dotted name called. */
  callee?: string;
  calleeRange?: Range;
  /** For a frame that is the value of a statement-level `name = ...`: the name. */
  assignTarget?: string;
  args: Arg[];
  parent: Frame | null;
  /** Argument of the parent the frame is in. */
  argIndex: number;
  children: Frame[];
  strings: StringLit[];
}

export interface Cursor {
  offset: number;
  /** Innermost bracket open at the cursor. */
  frame: Frame | null;
  /** Argument of `frame` the cursor is in. */
  argIndex: number;
  /** The string literal the cursor is inside (between its quotes). */
  string?: StringLit;
  comment: boolean;
  /** Identifier or number the cursor touches (its end may lie after the cursor). */
  word?: Range;
  /** Nothing but whitespace and the current word lies between the argument's start and the cursor. */
  atArgStart: boolean;
  /** The cursor is in the value part of a keyword argument (after its `=`). */
  inValue: boolean;
}

export interface Scan {
  roots: Frame[];
  cursor: Cursor;
}

const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'if', 'else', 'elif', 'for', 'while', 'return', 'lambda', 'yield', 'await', 'assert', 'del', 'from',
  'import', 'with', 'as', 'raise', 'print', 'global', 'nonlocal', 'pass', 'break', 'continue', 'class', 'def', 'try', 'except', 'finally',
]);

/** A line at column 0 that certainly starts a new statement, even inside an unclosed bracket. */
const STATEMENT_START = /^(?:(?:def|class|import|from|if|for|while|with|try|return)\b|@|[A-Za-z_][\w.]*\s*(?:\[[^\]\n]*\])?\s*(?:[-+*/%&|^]|\/\/|\*\*)?=(?!=))/;

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const OPEN: Record<string, Bracket> = { '(': '(', '[': '[', '{': '{' };
const CLOSE: Record<string, Bracket> = { ')': '(', ']': '[', '}': '{' };

/** Scan the whole text; `offset` is where the cursor is. */
export function scan(text: string, offset: number): Scan {
  const n = text.length;
  const roots: Frame[] = [];
  const stack: Frame[] = [];
  let cursor: Cursor | undefined;
  // The previous significant token, for callee and keyword detection.
  let prev: { kind: 'name' | 'close' | 'other' | 'none'; name?: string; range?: Range } = { kind: 'none' };
  // Statement-level `name =` seen on this logical line (for assignTarget).
  let pendingTarget: string | undefined;
  // Current argument's state per frame.
  const argFirstName = new Map<Frame, { name: string; range: Range } | null>();

  const top = (): Frame | null => (stack.length ? stack[stack.length - 1] : null);
  const curArg = (f: Frame): Arg => f.args[f.args.length - 1];

  const setCursorBoundary = () => {
    if (cursor) return;
    const f = top();
    const arg = f ? curArg(f) : undefined;
    cursor = {
      offset,
      frame: f,
      argIndex: f ? f.args.length - 1 : -1,
      comment: false,
      atArgStart: !!arg && arg.first === undefined,
      inValue: !!arg && arg.valueStart !== undefined && arg.valueStart <= offset,
    };
  };

  const noteToken = (start: number) => {
    const f = top();
    if (!f) return;
    const a = curArg(f);
    if (a.first === undefined) a.first = start;
  };

  const closeAllUnclosed = (at: number) => {
    while (stack.length) {
      const f = stack.pop()!;
      curArg(f).end = at;
      f.close = null;
    }
    prev = { kind: 'none' };
  };

  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      if (stack.length && isIdStart(c) || (stack.length && c === 64)) {
        const lineEnd = text.indexOf('\n', i);
        const line = text.slice(i, lineEnd < 0 ? n : lineEnd);
        if (STATEMENT_START.test(line) && !/^(else|elif|except|finally)\b/.test(line)) {
          if (!cursor && offset < i) setCursorBoundary();
          closeAllUnclosed(i);
        }
      }
      if (!stack.length) pendingTarget = undefined;
    }
    if (!cursor && i >= offset) setCursorBoundary();
    // Newlines.
    if (c === 10 || c === 13) {
      i++;
      if (c === 13 && text.charCodeAt(i) === 10) i++;
      lineStart = true;
      if (!stack.length) prev = { kind: 'none' };
      continue;
    }
    if (c === 32 || c === 9 || c === 12) {
      i++;
      continue;
    }
    // Line continuation.
    if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
      i += 2;
      if (text.charCodeAt(i - 1) === 13 && text.charCodeAt(i) === 10) i++;
      continue;
    }
    // Comment.
    if (c === 35) {
      let e = text.indexOf('\n', i);
      if (e < 0) e = n;
      if (text.charCodeAt(e - 1) === 13) e--;
      if (!cursor && offset > i && offset <= e) {
        setCursorBoundary();
        cursor!.comment = true;
      }
      i = e;
      continue;
    }
    // String (with an optional prefix).
    let q = i;
    if (isIdStart(c)) {
      let p = i;
      while (p < n && p - i < 3 && /[rRbBuUfF]/.test(text[p])) p++;
      if (p > i && (text[p] === '"' || text[p] === "'")) q = p;
    }
    const qc = text[q];
    if (qc === '"' || qc === "'") {
      const triple = text.startsWith(qc.repeat(3), q);
      const quote = triple ? qc.repeat(3) : qc;
      const contentStart = q + quote.length;
      let j = contentStart;
      let terminated = false;
      let contentEnd = n;
      while (j < n) {
        const d = text[j];
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (!triple && (d === '\n' || d === '\r')) {
          contentEnd = j;
          break;
        }
        if (text.startsWith(quote, j)) {
          contentEnd = j;
          terminated = true;
          j += quote.length;
          break;
        }
        j++;
      }
      if (j >= n && !terminated) contentEnd = Math.min(contentEnd, n);
      const end = terminated ? j : contentEnd;
      const f = top();
      const lit: StringLit = {
        range: { start: i, end },
        contentStart,
        contentEnd,
        value: text.slice(contentStart, contentEnd),
        quote,
        terminated,
        argIndex: f ? f.args.length - 1 : -1,
      };
      noteToken(i);
      if (f) f.strings.push(lit);
      if (!cursor && offset >= contentStart && offset <= contentEnd && offset > i) {
        setCursorBoundary();
        cursor!.string = lit;
        cursor!.atArgStart = !!f && curArg(f).first === i;
      }
      prev = { kind: 'other' };
      i = end;
      continue;
    }
    // Identifiers and numbers.
    if (isIdStart(c) || isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      const numeric = !isIdStart(c);
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isIdPart(d) || (numeric && (d === 46 || ((d === 43 || d === 45) && /[eE]/.test(text[j - 1]))))) j++;
        else break;
      }
      const f = top();
      const isFirst = !!f && curArg(f).first === undefined;
      noteToken(i);
      if (!cursor && offset >= i && offset <= j && offset > i) {
        setCursorBoundary();
        cursor!.word = { start: i, end: j };
        cursor!.atArgStart = isFirst;
      }
      const word = text.slice(i, j);
      if (!numeric) {
        // Dotted names: a.b.c
        if (prev.kind === 'name' && prev.range && text.slice(prev.range.end, i).trim() === '.') {
          prev = { kind: 'name', name: `${prev.name}.${word}`, range: { start: prev.range.start, end: j } };
        } else prev = KEYWORDS.has(word) ? { kind: 'other' } : { kind: 'name', name: word, range: { start: i, end: j } };
        if (f && isFirst) argFirstName.set(f, { name: word, range: { start: i, end: j } });
      } else prev = { kind: 'other' };
      i = j;
      continue;
    }
    const ch = text[i];
    if (ch in OPEN) {
      const parent = top();
      const frame: Frame = {
        kind: OPEN[ch],
        open: i,
        close: null,
        args: [{ start: i + 1, end: n }],
        parent,
        argIndex: parent ? parent.args.length - 1 : -1,
        children: [],
        strings: [],
      };
      if (frame.kind === '(' && prev.kind === 'name' && prev.name) {
        frame.callee = prev.name;
        frame.calleeRange = prev.range;
      } else noteToken(i);
      if (frame.kind === '(' && prev.kind === 'name') {
        // The call's first token is the callee, already noted.
      }
      if (!parent && pendingTarget) {
        frame.assignTarget = pendingTarget;
        pendingTarget = undefined;
      }
      if (parent) parent.children.push(frame);
      else roots.push(frame);
      stack.push(frame);
      argFirstName.set(frame, null);
      prev = { kind: 'other' };
      i++;
      continue;
    }
    if (ch in CLOSE) {
      const kind = CLOSE[ch];
      // Pop to the matching bracket; a stray closer is ignored.
      const idx = stack.map((f) => f.kind).lastIndexOf(kind);
      if (idx >= 0) {
        while (stack.length > idx + 1) {
          const f = stack.pop()!;
          curArg(f).end = i;
          f.close = null;
        }
        const f = stack.pop()!;
        curArg(f).end = i;
        f.close = i;
        prev = { kind: 'close' };
      }
      i++;
      continue;
    }
    if (ch === ',') {
      const f = top();
      if (f) {
        curArg(f).end = i;
        f.args.push({ start: i + 1, end: n });
        argFirstName.set(f, null);
      }
      prev = { kind: 'other' };
      i++;
      continue;
    }
    if (ch === '=') {
      const next = text[i + 1];
      const before = text[i - 1];
      const isAssign = next !== '=' && !'=!<>:+-*/%&|^@'.includes(before ?? '');
      const f = top();
      if (isAssign && f) {
        const a = curArg(f);
        const first = argFirstName.get(f);
        if (first && a.first === first.range.start && a.kw === undefined && text.slice(first.range.end, i).trim() === '') {
          a.kw = first.name;
          a.kwRange = first.range;
          a.valueStart = i + 1;
        }
      } else if (isAssign && !f && prev.kind === 'name' && prev.name) {
        pendingTarget = prev.name;
      }
      prev = { kind: 'other' };
      i++;
      continue;
    }
    noteToken(i);
    prev = { kind: 'other' };
    i++;
  }
  if (!cursor) setCursorBoundary();
  for (const f of stack) curArg(f).end = n;
  return { roots, cursor: cursor! };
}

/** Innermost frames first: the frame and its ancestors. */
export function ancestors(f: Frame | null): Frame[] {
  const out: Frame[] = [];
  for (let x = f; x; x = x.parent) out.push(x);
  return out;
}

/** The argument of a frame that contains an offset (by separators). */
export function argAt(f: Frame, offset: number): number {
  for (let k = f.args.length - 1; k >= 0; k--) if (f.args[k].start <= offset) return k;
  return 0;
}

/** Every frame in the scan, depth first. */
export function allFrames(roots: Frame[]): Frame[] {
  const out: Frame[] = [];
  const visit = (f: Frame) => {
    out.push(f);
    f.children.forEach(visit);
  };
  roots.forEach(visit);
  return out;
}

/** Keyword names given in a call frame (whole call, not only before the cursor). */
export function keywordsOf(f: Frame): string[] {
  return f.args.filter((a) => a.kw).map((a) => a.kw!);
}

/** Arguments that hold something (an empty trailing argument after a comma does not count). */
export function nonEmptyArgs(f: Frame): Arg[] {
  return f.args.filter((a) => a.first !== undefined);
}
