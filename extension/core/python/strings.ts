/**
 * Python's string semantics: decoding str literals (prefixes, quotes, backslash escapes) and the
 * text between f-string fields, str() of a scalar value, %-formatting and str.format with plain
 * fields. Each returns undefined when Python's result cannot be reproduced here, and the
 * evaluator then makes the value unknown.
 */
import { pyFixed, pyFloatRepr } from './numbers';
import { isNumber, type Value } from './values';

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
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'U': {
        const cp = parseInt(e.slice(1), 16);
        if (cp > 0x10ffff) failed = true;
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

/** Python's `fmt % args` for %s %r %d %i %f with flags and width; undefined when it cannot be followed. */
export function formatPercent(fmt: string, args: Value[]): string | undefined {
  let i = 0;
  let failed = false;
  const out = fmt.replace(/%(\(\w+\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdifrxXeEgGc%])/g, (whole, key, flags: string, width, prec, conv: string) => {
    if (conv === '%') return '%';
    if (key || width === '*') {
      failed = true;
      return whole;
    }
    const a = args[i++];
    if (!a) {
      failed = true;
      return whole;
    }
    let s: string;
    if (conv === 's' || conv === 'r') {
      if (a.k === 'str') s = conv === 'r' ? `'${a.v}'` : a.v;
      else if (a.k === 'int' || a.k === 'float' || a.k === 'bool' || a.k === 'none') s = pyStr(a) ?? '';
      else {
        failed = true;
        return whole;
      }
    } else if (conv === 'd' || conv === 'i') {
      if (!isNumber(a) && a.k !== 'bool') {
        failed = true;
        return whole;
      }
      const n = a.k === 'bool' ? Number(a.v) : a.v;
      if (!Number.isFinite(n) || !Number.isSafeInteger(Math.trunc(n))) {
        failed = true;
        return whole;
      }
      s = String(Math.trunc(n));
    } else if (conv === 'f') {
      const n = a.k === 'bool' ? Number(a.v) : isNumber(a) ? a.v : undefined;
      if (n === undefined || !Number.isFinite(n)) {
        failed = true;
        return whole;
      }
      s = pyFixed(n, prec !== undefined ? Number(prec) : 6);
    } else {
      failed = true;
      return whole;
    }
    const numeric = conv !== 's' && conv !== 'r';
    if (numeric && !s.startsWith('-')) {
      if (flags.includes('+')) s = '+' + s;
      else if (flags.includes(' ')) s = ' ' + s;
    }
    if (width) {
      const w = Number(width);
      if (flags.includes('-')) s = s.padEnd(w);
      else if (numeric && flags.includes('0')) {
        // Zero padding goes between the sign and the digits: '%05d' % -3 == '-0003'.
        const sign = /^[-+ ]/.test(s) ? s[0] : '';
        s = sign + s.slice(sign.length).padStart(w - sign.length, '0');
      } else s = s.padStart(w);
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
  const out = fmt.replace(/\{(\w*)\}/g, (_w, key: string) => {
    const a = key === '' ? pos[i++] : /^\d+$/.test(key) ? pos[Number(key)] : named.get(key)?.value;
    const s = a ? pyStr(a) : undefined;
    if (s === undefined) failed = true;
    return s ?? '';
  });
  return !failed && !/[{}]/.test(out) ? out : undefined;
}
