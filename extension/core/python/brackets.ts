/**
 * Brackets as Python's tokenizer sees them (outside strings and comments), for two things lezer's
 * error recovery does not tell well:
 *
 * - which bracket was never closed: lezer reports where it gives up, often lines later and more
 *   than once. Here a bracket still open when a later line starts at or left of the indentation of
 *   the line it was opened on (the next item, the next statement) is the one never closed; so is a
 *   bracket a closing one of another kind skips over, and one still open at the end. A closing
 *   bracket with nothing to close is reported as such;
 * - nesting deeper than Python allows (its tokenizer stops at 200 open brackets): such a statement
 *   is reported and kept from lezer, which is slow on it.
 */
import type { Range } from '../text';

/** Python's tokenizer refuses more open brackets than this ("too many nested parentheses"). */
export const MAX_NESTING = 200;

const OPEN = '([{';
const CLOSE = ')]}';

interface Events {
  bracket(ch: string, at: number): void;
  /** A line that starts a logical line's worth of code (not blank, not only a comment, not a continuation by backslash). */
  line(at: number, col: number, first: string): void;
}

/** Walk the code of a Python text: brackets and line starts outside strings and comments. */
function tokens(text: string, ev: Events): void {
  const n = text.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      let col = 0;
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === 32) col++;
        else if (c === 9) col = (Math.floor(col / 8) + 1) * 8;
        else if (c === 12) col = 0;
        else break;
      }
      const f = text.charCodeAt(j);
      if (j < n && f !== 10 && f !== 13 && f !== 35) ev.line(j, col, text[j]);
      i = j;
      continue;
    }
    switch (text.charCodeAt(i)) {
      case 10: // \n
        lineStart = true;
        i++;
        break;
      case 35: // #
        i = text.indexOf('\n', i);
        if (i < 0) i = n;
        break;
      case 92: // \ : an explicit line join makes the next line continue this one
        i += text[i + 1] === '\n' ? 2 : text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 1;
        break;
      case 34: // "
      case 39: // '
        i = skipString(text, i);
        break;
      case 40: // (
      case 41: // )
      case 91: // [
      case 93: // ]
      case 123: // {
      case 125: // }
        ev.bracket(text[i], i);
        i++;
        break;
      default:
        i++;
    }
  }
}

/** The offset after the str literal starting at `i` (its quote); an unterminated one ends at its line's end (or the text's, if triple-quoted). */
function skipString(text: string, i: number): number {
  const q = text[i];
  const n = text.length;
  if (text[i + 1] === q && text[i + 2] === q) {
    let j = i + 3;
    while (j < n) {
      if (text[j] === '\\') j += 2;
      else if (text[j] === q && text[j + 1] === q && text[j + 2] === q) return j + 3;
      else j++;
    }
    return n;
  }
  let j = i + 1;
  while (j < n) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === q) return j + 1;
    else if (c === '\n') return j;
    else j++;
  }
  return n;
}

/** A statement nested deeper than MAX_NESTING: the bracket past the limit, and the lines it spans. */
export interface DeepNesting {
  /** The first bracket past the limit. */
  at: number;
  /** From the start of the line of its outermost bracket… */
  from: number;
  /** …to the end of the line where that bracket is closed (or the end of the text). */
  to: number;
}

/** Every place nested deeper than Python allows (counting as its tokenizer does). */
export function findDeepNesting(text: string): DeepNesting[] {
  const out: DeepNesting[] = [];
  let depth = 0;
  let outerLine = 0;
  let cur: DeepNesting | undefined;
  tokens(text, {
    bracket(ch, at) {
      if (OPEN.includes(ch)) {
        if (depth === 0) outerLine = text.lastIndexOf('\n', at) + 1;
        depth++;
        if (depth > MAX_NESTING && !cur) cur = { at, from: outerLine, to: text.length };
      } else if (depth > 0) {
        depth--;
        if (depth === 0 && cur) {
          const eol = text.indexOf('\n', at);
          cur.to = eol < 0 ? text.length : eol;
          out.push(cur);
          cur = undefined;
        }
      }
    },
    line() {},
  });
  if (cur) out.push(cur);
  return out;
}

/** A bracket never closed, or a closing bracket with nothing to close. */
export interface BracketProblem {
  /** The bracket(s) to point at. */
  range: Range;
  message: string;
  /** Where it became certain (the line or closing bracket that gave it away, or the end of the text). */
  foundAt: number;
}

interface Open {
  ch: string;
  at: number;
  /** Indentation of the line it is on. */
  indent: number;
  /** Start of that line. */
  line: number;
}

/** Every bracket problem, found with the indentation of the lines as a guide (see the module comment). */
export function bracketProblems(text: string): BracketProblem[] {
  const out: BracketProblem[] = [];
  const stack: Open[] = [];
  let indent = 0;
  let line = 0;
  /** The brackets popped (innermost last) as never closed, found at `foundAt`: one problem, at the innermost line's brackets. */
  const unclosed = (popped: Open[], foundAt: number) => {
    if (popped.length === 0) return;
    const inner = popped[popped.length - 1];
    const group = popped.filter((o) => o.line === inner.line).sort((a, b) => a.at - b.at);
    const names = group.map((o) => `'${o.ch}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    out.push({
      range: { start: group[0].at, end: group[group.length - 1].at + 1 },
      message: `${list} ${names.length === 1 ? 'was' : 'were'} never closed`,
      foundAt,
    });
  };
  tokens(text, {
    line(at, col, first) {
      line = text.lastIndexOf('\n', at) + 1;
      indent = col;
      if (CLOSE.includes(first)) return;
      const popped: Open[] = [];
      while (stack.length && col <= stack[stack.length - 1].indent) popped.unshift(stack.pop()!);
      unclosed(popped, at);
    },
    bracket(ch, at) {
      if (OPEN.includes(ch)) {
        stack.push({ ch, at, indent, line });
        return;
      }
      const want = OPEN[CLOSE.indexOf(ch)];
      let k = stack.length - 1;
      while (k >= 0 && stack[k].ch !== want) k--;
      if (k < 0) {
        out.push({ range: { start: at, end: at + 1 }, message: `Unmatched '${ch}'`, foundAt: at });
        return;
      }
      unclosed(stack.splice(k + 1), at);
      stack.pop();
    },
  });
  unclosed(stack.splice(0), text.length);
  return out;
}
