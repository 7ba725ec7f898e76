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

/** The previous significant token, for callee and keyword detection. */
type Prev = { kind: 'name' | 'close' | 'other' | 'none'; name?: string; range?: Range };

/**
 * The scan's state as it walks the text. Each token kind has its step: it returns the offset after the
 * token, or undefined when the text at `i` is not that kind of token.
 */
class Scanner {
  readonly roots: Frame[] = [];
  private readonly stack: Frame[] = [];
  private readonly n: number;
  private cursor: Cursor | undefined;
  private prev: Prev = { kind: 'none' };
  /** Statement-level `name =` seen on this logical line (for assignTarget). */
  private pendingTarget: string | undefined;
  /** The first name of each frame's current argument (a keyword when `=` follows it). */
  private readonly argFirstName = new Map<Frame, { name: string; range: Range } | null>();
  private lineStart = true;

  constructor(
    private readonly text: string,
    private readonly offset: number,
  ) {
    this.n = text.length;
  }

  run(): Scan {
    let i = 0;
    while (i < this.n) i = this.step(i);
    const cursor = this.placeCursor();
    for (const f of this.stack) curArg(f).end = this.n;
    return { roots: this.roots, cursor };
  }

  private step(i: number): number {
    const c = this.text.charCodeAt(i);
    if (this.lineStart) this.startLine(i, c);
    if (!this.cursor && i >= this.offset) this.placeCursor();
    return this.space(i, c) ?? this.comment(i, c) ?? this.string(i, c) ?? this.word(i, c) ?? this.punctuation(i);
  }

  private top(): Frame | null {
    return this.stack.length ? this.stack[this.stack.length - 1] : null;
  }

  /** The cursor context at the current point of the scan (the first call decides it). */
  private placeCursor(): Cursor {
    if (this.cursor) return this.cursor;
    const f = this.top();
    const arg = f ? curArg(f) : undefined;
    this.cursor = {
      offset: this.offset,
      frame: f,
      argIndex: f ? f.args.length - 1 : -1,
      comment: false,
      atArgStart: !!arg && arg.first === undefined,
      inValue: !!arg && arg.valueStart !== undefined && arg.valueStart <= this.offset,
    };
    return this.cursor;
  }

  private noteToken(start: number): void {
    const f = this.top();
    if (!f) return;
    const a = curArg(f);
    if (a.first === undefined) a.first = start;
  }

  /** An unclosed bracket ends at a line that certainly starts a new statement. */
  private startLine(i: number, c: number): void {
    this.lineStart = false;
    if (this.stack.length && (isIdStart(c) || c === 64)) {
      const lineEnd = this.text.indexOf('\n', i);
      const line = this.text.slice(i, lineEnd < 0 ? this.n : lineEnd);
      if (STATEMENT_START.test(line) && !/^(else|elif|except|finally)\b/.test(line)) {
        if (!this.cursor && this.offset < i) this.placeCursor();
        while (this.stack.length) {
          const f = this.stack.pop()!;
          curArg(f).end = i;
          f.close = null;
        }
        this.prev = { kind: 'none' };
      }
    }
    if (!this.stack.length) this.pendingTarget = undefined;
  }

  /** Newlines, blanks and line continuations. */
  private space(i: number, c: number): number | undefined {
    const text = this.text;
    if (c === 10 || c === 13) {
      i++;
      if (c === 13 && text.charCodeAt(i) === 10) i++;
      this.lineStart = true;
      if (!this.stack.length) this.prev = { kind: 'none' };
      return i;
    }
    if (c === 32 || c === 9 || c === 12) return i + 1;
    if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
      i += 2;
      if (text.charCodeAt(i - 1) === 13 && text.charCodeAt(i) === 10) i++;
      return i;
    }
    return undefined;
  }

  /** A comment, up to the end of its line; the cursor may be in it. */
  private comment(i: number, c: number): number | undefined {
    if (c !== 35) return undefined;
    let e = this.text.indexOf('\n', i);
    if (e < 0) e = this.n;
    if (this.text.charCodeAt(e - 1) === 13) e--;
    if (!this.cursor && this.offset > i && this.offset <= e) this.placeCursor().comment = true;
    return e;
  }

  /** A string literal (with an optional prefix); an unterminated one ends at its line. The cursor may be in it. */
  private string(i: number, c: number): number | undefined {
    const { text, n } = this;
    let q = i;
    if (isIdStart(c)) {
      let p = i;
      while (p < n && p - i < 3 && /[rRbBuUfF]/.test(text[p])) p++;
      if (p > i && (text[p] === '"' || text[p] === "'")) q = p;
    }
    const qc = text[q];
    if (qc !== '"' && qc !== "'") return undefined;
    const triple = text.startsWith(qc.repeat(3), q);
    const quote = triple ? qc.repeat(3) : qc;
    const contentStart = q + quote.length;
    const { contentEnd, terminated, end } = stringEnd(text, contentStart, quote, triple);
    const f = this.top();
    const lit: StringLit = {
      range: { start: i, end },
      contentStart,
      contentEnd,
      value: text.slice(contentStart, contentEnd),
      quote,
      terminated,
      argIndex: f ? f.args.length - 1 : -1,
    };
    this.noteToken(i);
    if (f) f.strings.push(lit);
    if (!this.cursor && this.offset >= contentStart && this.offset <= contentEnd && this.offset > i) {
      const cur = this.placeCursor();
      cur.string = lit;
      cur.atArgStart = !!f && curArg(f).first === i;
    }
    this.prev = { kind: 'other' };
    return end;
  }

  /** An identifier (dotted names join up) or a number; the cursor may touch it. */
  private word(i: number, c: number): number | undefined {
    const { text, n } = this;
    if (!(isIdStart(c) || isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1))))) return undefined;
    let j = i + 1;
    const numeric = !isIdStart(c);
    while (j < n) {
      const d = text.charCodeAt(j);
      if (isIdPart(d) || (numeric && (d === 46 || ((d === 43 || d === 45) && /[eE]/.test(text[j - 1]))))) j++;
      else break;
    }
    const f = this.top();
    const isFirst = !!f && curArg(f).first === undefined;
    this.noteToken(i);
    if (!this.cursor && this.offset >= i && this.offset <= j && this.offset > i) {
      const cur = this.placeCursor();
      cur.word = { start: i, end: j };
      cur.atArgStart = isFirst;
    }
    const word = text.slice(i, j);
    if (numeric) this.prev = { kind: 'other' };
    else {
      const prev = this.prev;
      // Dotted names: a.b.c
      if (prev.kind === 'name' && prev.range && text.slice(prev.range.end, i).trim() === '.') {
        this.prev = { kind: 'name', name: `${prev.name}.${word}`, range: { start: prev.range.start, end: j } };
      } else this.prev = KEYWORDS.has(word) ? { kind: 'other' } : { kind: 'name', name: word, range: { start: i, end: j } };
      if (f && isFirst) this.argFirstName.set(f, { name: word, range: { start: i, end: j } });
    }
    return j;
  }

  /** Brackets, commas, `=` and any other character. */
  private punctuation(i: number): number {
    const ch = this.text[i];
    if (ch in OPEN) this.open(i, OPEN[ch]);
    else if (ch in CLOSE) this.close(i, CLOSE[ch]);
    else if (ch === ',') this.comma(i);
    else if (ch === '=') this.equals(i);
    else {
      this.noteToken(i);
      this.prev = { kind: 'other' };
    }
    return i + 1;
  }

  private open(i: number, kind: Bracket): void {
    const parent = this.top();
    const frame: Frame = {
      kind,
      open: i,
      close: null,
      args: [{ start: i + 1, end: this.n }],
      parent,
      argIndex: parent ? parent.args.length - 1 : -1,
      children: [],
      strings: [],
    };
    // A call's first token is its callee, already noted.
    if (frame.kind === '(' && this.prev.kind === 'name' && this.prev.name) {
      frame.callee = this.prev.name;
      frame.calleeRange = this.prev.range;
    } else this.noteToken(i);
    if (!parent && this.pendingTarget) {
      frame.assignTarget = this.pendingTarget;
      this.pendingTarget = undefined;
    }
    if (parent) parent.children.push(frame);
    else this.roots.push(frame);
    this.stack.push(frame);
    this.argFirstName.set(frame, null);
    this.prev = { kind: 'other' };
  }

  /** Pop to the matching bracket (brackets left open inside it stay unclosed); a stray closer is ignored. */
  private close(i: number, kind: Bracket): void {
    const idx = this.stack.map((f) => f.kind).lastIndexOf(kind);
    if (idx < 0) return;
    while (this.stack.length > idx + 1) {
      const f = this.stack.pop()!;
      curArg(f).end = i;
      f.close = null;
    }
    const f = this.stack.pop()!;
    curArg(f).end = i;
    f.close = i;
    this.prev = { kind: 'close' };
  }

  private comma(i: number): void {
    const f = this.top();
    if (f) {
      curArg(f).end = i;
      f.args.push({ start: i + 1, end: this.n });
      this.argFirstName.set(f, null);
    }
    this.prev = { kind: 'other' };
  }

  /** `name=` in brackets makes a keyword argument; at statement level it names what the next bracket is assigned to. */
  private equals(i: number): void {
    const text = this.text;
    const next = text[i + 1];
    const before = text[i - 1];
    const isAssign = next !== '=' && !'=!<>:+-*/%&|^@'.includes(before ?? '');
    const f = this.top();
    if (isAssign && f) {
      const a = curArg(f);
      const first = this.argFirstName.get(f);
      if (first && a.first === first.range.start && a.kw === undefined && text.slice(first.range.end, i).trim() === '') {
        a.kw = first.name;
        a.kwRange = first.range;
        a.valueStart = i + 1;
      }
    } else if (isAssign && !f && this.prev.kind === 'name' && this.prev.name) {
      this.pendingTarget = this.prev.name;
    }
    this.prev = { kind: 'other' };
  }
}

function curArg(f: Frame): Arg {
  return f.args[f.args.length - 1];
}

/** Where a string's content ends (closing quote, or its line's end when unterminated and not triple-quoted) and the literal ends. */
function stringEnd(text: string, contentStart: number, quote: string, triple: boolean): { contentEnd: number; terminated: boolean; end: number } {
  const n = text.length;
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
  return { contentEnd, terminated, end: terminated ? j : contentEnd };
}

/** Scan the whole text; `offset` is where the cursor is. */
export function scan(text: string, offset: number): Scan {
  return new Scanner(text, offset).run();
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
