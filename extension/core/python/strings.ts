/**
 * Python's string semantics: decoding str literals (prefixes, quotes, backslash escapes) and the
 * text between f-string fields, str() of a scalar value, %-formatting and str.format with plain
 * fields. Each returns undefined when Python's result cannot be reproduced here, and the
 * evaluator then makes the value unknown.
 */
import { pyFixed, pyFloatRepr } from './numbers';
import { isNumber, type Value } from './values';

/**
 * Python's str is a sequence of code points; a JS string is UTF-16. They differ only where a
 * string holds characters beyond U+FFFF (a surrogate pair in JS): lengths, indices, slices,
 * padding and ordering then go by code points.
 */
const SURROGATE = /[\ud800-\udfff]/;

/** Python's len(s). */
export function pyLen(s: string): number {
  return SURROGATE.test(s) ? [...s].length : s.length;
}

/** Python's s[i] for 0 ≤ i < len(s). */
export function pyCharAt(s: string, i: number): string {
  return SURROGATE.test(s) ? [...s][i] : s[i];
}

/** Python's s[lo:hi] for 0 ≤ lo, hi ≤ len(s). */
export function pySliceStr(s: string, lo: number, hi: number): string {
  return SURROGATE.test(s) ? [...s].slice(lo, hi).join('') : s.slice(lo, Math.max(lo, hi));
}

/** Python's ordering of two str (by code points): negative, 0 or positive. */
export function pyStrCompare(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** s padded with spaces (or `fill`) to `width` code points, on the left unless `left`. */
function pad(s: string, width: number, left: boolean, fill = ' '): string {
  const n = width - pyLen(s);
  if (n <= 0) return s;
  return left ? s + fill.repeat(n) : fill.repeat(n) + s;
}

/**
 * Python's repr() of a str: single quotes unless it holds a ' and no ", backslash escapes for \\,
 * \n, \r, \t and the other ASCII control characters; undefined for non-ASCII text (whether Python
 * prints a character as it is depends on the Unicode database).
 */
export function pyReprStr(s: string): string | undefined {
  if (/[^\x00-\x7f]/.test(s)) return undefined;
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === q) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}

/** Decode the backslash escapes of a non-raw str literal; undefined when one cannot be decoded here. */
function decodeEscapes(body: string): string | undefined {
  let failed = false;
  const out = body.replace(/\\(\r?\n|[0-7]{1,3}|[\\'"abfnrtv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\})/g, (_s, e: string) => {
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    switch (e[0]) {
      case '\n':
      case '\r':
        return '';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'x':
      case 'u':
      case 'U': {
        const cp = parseInt(e.slice(1), 16);
        // A lone surrogate is one code point in Python but would pair up with a neighbour in UTF-16.
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) failed = true;
        return failed ? '' : String.fromCodePoint(cp);
      }
      case 'N':
        // \N{UNICODE CHARACTER NAME}: there is no name table here.
        failed = true;
        return '';
      default:
        return e;
    }
  });
  return failed ? undefined : out;
}

/** The value of a str literal as written (prefixes, quotes, escapes); undefined for bytes or an escape not decoded here. */
export function decodeStringLiteral(raw: string): string | undefined {
  const m = /^([rRbBuUfF]*)('''|"""|'|")([\s\S]*)$/.exec(raw);
  if (!m) return undefined;
  const prefix = m[1].toLowerCase();
  if (prefix.includes('b')) return undefined;
  const q = m[2];
  let body = m[3];
  if (!body.endsWith(q)) return undefined;
  body = body.slice(0, body.length - q.length);
  if (prefix.includes('r')) return body;
  return decodeEscapes(body);
}

/**
 * Python's `fmt % args` for %s %r %d %i %f with flags, width and precision; undefined when it cannot be
 * followed (a mapping key, `*`, another conversion, a stray `%`, arguments left over or missing).
 */
export function formatPercent(fmt: string, args: Value[]): string | undefined {
  let i = 0;
  let failed = false;
  const fail = (whole: string) => {
    failed = true;
    return whole;
  };
  const out = fmt.replace(/%(?:(\(\w+\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdifr%]))?/g, (whole, key, flags: string, width, prec, conv: string | undefined) => {
    if (conv === undefined || key || width === '*') return fail(whole);
    if (conv === '%') return '%';
    const a = args[i++];
    if (!a) return fail(whole);
    let s: string | undefined;
    if (conv === 's' || conv === 'r') {
      s = conv === 'r' && a.k === 'str' ? pyReprStr(a.v) : a.k === 'str' || a.k === 'int' || a.k === 'float' || a.k === 'bool' || a.k === 'none' ? pyStr(a) : undefined;
      if (s === undefined) return fail(whole);
      if (prec !== undefined) s = pySliceStr(s, 0, Math.min(Number(prec), pyLen(s)));
    } else if (conv === 'd' || conv === 'i') {
      const n = a.k === 'bool' ? Number(a.v) : isNumber(a) ? a.v : undefined;
      if (n === undefined || !Number.isSafeInteger(Math.trunc(n))) return fail(whole);
      const t = Math.trunc(n);
      const digits = String(Math.abs(t)).padStart(prec !== undefined ? Number(prec) : 1, '0');
      s = (t < 0 ? '-' : '') + digits;
    } else {
      // %f
      const n = a.k === 'bool' ? Number(a.v) : isNumber(a) ? a.v : undefined;
      if (n === undefined || !Number.isFinite(n) || flags.includes('#')) return fail(whole);
      s = pyFixed(n, prec !== undefined ? Number(prec) : 6);
    }
    const numeric = conv !== 's' && conv !== 'r';
    if (numeric && !s.startsWith('-')) {
      if (flags.includes('+')) s = '+' + s;
      else if (flags.includes(' ')) s = ' ' + s;
    }
    if (width) {
      const w = Number(width);
      if (flags.includes('-')) s = pad(s, w, true);
      else if (numeric && flags.includes('0')) {
        // Zero padding goes between the sign and the digits: '%05d' % -3 == '-0003'.
        const sign = /^[-+ ]/.test(s) ? s[0] : '';
        s = sign + pad(s.slice(sign.length), w - sign.length, false, '0');
      } else s = pad(s, w, false);
    }
    return s;
  });
  if (failed || i !== args.length) return undefined;
  return out;
}

/** Python's str() of a scalar value; undefined for containers and values that cannot be known. */
export function pyStr(v: Value): string | undefined {
  switch (v.k) {
    case 'str':
      return v.v;
    case 'int':
      return String(v.v);
    case 'float':
      return pyFloatRepr(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'range':
      return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    default:
      return undefined;
  }
}

/** The text between f-string fields: {{ and }} undoubled, escapes decoded unless raw; undefined on a \N{...} escape. */
export function decodeFStringText(text: string, raw: boolean): string | undefined {
  const t = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  if (raw) return t;
  // `\N{NAME}` in an f-string parses as `\N` + a field: not decoded here.
  if (/(^|[^\\])(\\\\)*\\N$/.test(t)) return undefined;
  return decodeEscapes(t);
}

/** Python's str.format with `{}`, `{0}` and `{name}` fields; undefined for anything else (specs, {{ }}, unknown values). */
export function formatBraces(fmt: string, pos: Value[], named: ReadonlyMap<string, { value: Value }>): string | undefined {
  let i = 0;
  let failed = false;
  let auto = false;
  let manual = false;
  const out = fmt.replace(/\{(\w*)\}/g, (_w, key: string) => {
    // Python refuses to mix automatic ({}) and manual ({0}) field numbering.
    if (key === '') auto = true;
    else if (/^\d+$/.test(key)) manual = true;
    if (auto && manual) failed = true;
    const a = key === '' ? pos[i++] : /^\d+$/.test(key) ? pos[Number(key)] : named.get(key)?.value;
    const s = a ? pyStr(a) : undefined;
    if (s === undefined) failed = true;
    return s ?? '';
  });
  return !failed && !/[{}]/.test(out) ? out : undefined;
}
