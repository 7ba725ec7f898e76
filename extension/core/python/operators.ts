/**
 * Python's operators on values: the truth value of a value, equality of scalars, iteration, the
 * unary operators, the binary operators (arithmetic with int/float/bool promotion, comparisons,
 * string concatenation and %-formatting, sequence concatenation and repetition, `in`, `is`/`==`
 * with None, booleans and module references), and indexing and slicing. What Python would compute
 * but this code cannot know is an `unknown` value carrying the reason. What they build is charged to
 * the meter (budget.ts) before it is built.
 */
import type { Range } from '../text';
import { CHARS_PER_UNIT, type Meter, UNMETERED } from './budget';
import { floatDivMod, floatPow, intBitOp, intDivMod, intPow } from './numbers';
import { formatPercent, pyCharAt, pyLen, pySliceStr } from './strings';
import { intValue, isNumber, isSeq, MAX_SEQ, MAX_STR, rangeItem, rangeLen, type RangeValue, unknown, type Value } from './values';

/** Python's truth value; undefined when it cannot be known. */
export function truthy(v: Value): boolean | undefined {
  switch (v.k) {
    case 'int':
    case 'float':
      return v.v !== 0;
    case 'str':
      return v.v.length > 0;
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'list':
    case 'tuple':
      return v.items.length > 0;
    case 'range':
      return rangeLen(v.start, v.stop, v.step) > 0;
    case 'dict':
      return v.complete ? v.entries.size > 0 : undefined;
    case 'config':
    case 'func':
    case 'builtin':
    case 'tensor':
    case 'iter':
      return true;
    case 'unknown':
      // A str or list too long to build: its length says.
      return v.len !== undefined ? v.len > 0 : undefined;
    default:
      return undefined;
  }
}

export function isScalar(v: Value): boolean {
  return v.k === 'int' || v.k === 'float' || v.k === 'str' || v.k === 'bool' || v.k === 'none';
}

/** Python's == on two scalars (bools are the ints 0 and 1); false for anything else. */
export function scalarEq(a: Value, b: Value): boolean {
  const num = (v: Value) => (v.k === 'int' || v.k === 'float' ? v.v : v.k === 'bool' ? Number(v.v) : undefined);
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  if (a.k === 'none' && b.k === 'none') return true;
  return false;
}

/**
 * The items of an iterable value (a new array), or undefined when they cannot be known (or there
 * would be more than MAX_SEQ). Iterating an iterator consumes it, as in Python.
 */
export function iterItems(v: Value | undefined, meter: Meter = UNMETERED): Value[] | undefined {
  if (!v) return undefined;
  if (isSeq(v)) {
    meter.slots(v.items.length);
    return v.items.slice();
  }
  if (v.k === 'iter') {
    meter.slots(v.items.length);
    return v.items.splice(0, v.items.length);
  }
  if (v.k === 'range') {
    const n = rangeLen(v.start, v.stop, v.step);
    if (n > MAX_SEQ) return undefined;
    meter.values(n);
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push({ k: 'int', v: rangeItem(v, i), r: v.r });
    return out;
  }
  if (v.k === 'str') {
    if (v.v.length > MAX_SEQ) return undefined;
    meter.values(v.v.length);
    return [...v.v].map((c) => ({ k: 'str', v: c, r: v.r }) as Value);
  }
  if (v.k === 'dict' && v.complete) {
    meter.values(v.entries.size);
    return [...v.entries.keys()].map((k) => ({ k: 'str', v: k, r: v.r }) as Value);
  }
  return undefined;
}

/** `op v` for a unary operator (not, -, +, ~); `literal`: v is a literal written right after op (so `-3` stays one). */
export function unaryOp(op: string, v: Value, R: Range, literal: boolean): Value {
  if (op === 'not') {
    const t = truthy(v);
    return t === undefined ? unknown(R, 'unknown truth value') : { k: 'bool', v: !t, r: R };
  }
  if (v.k === 'int') {
    if (op === '-') return intValue(-v.v, R, literal);
    if (op === '+') return intValue(v.v, R, literal);
    if (op === '~') {
      const n = intBitOp('~', v.v, 0);
      return n === undefined ? unknown(R, 'an integer beyond ±2**53 (not followed)') : intValue(n, R);
    }
  }
  if (v.k === 'float' && (op === '-' || op === '+')) return { k: 'float', v: op === '-' ? -v.v : v.v, r: R, literal };
  if (v.k === 'bool' && (op === '-' || op === '+' || op === '~')) return intValue(op === '-' ? -Number(v.v) : op === '+' ? Number(v.v) : -Number(v.v) - 1, R);
  return unknown(R, `unary ${op} of a value that cannot be known`);
}

/** `a op b` for a binary operator other than `and`/`or` (op as written, e.g. '//', 'not in', 'is not'). */
export function binop(op: string, a: Value, b: Value, R: Range, meter: Meter = UNMETERED): Value {
  if (a.k === 'unknown' || b.k === 'unknown') return unknown(R, 'an operand cannot be known');
  return (
    numericOp(op, a, b, R) ??
    stringOp(op, a, b, R, meter) ??
    sequenceOp(op, a, b, R, meter) ??
    identityOp(op, a, b, R) ??
    unknown(R, `${op} of values that cannot be combined statically`)
  );
}

const BEYOND = 'an integer beyond ±2**53 (not followed)';

/** Arithmetic, bitwise and comparison operators on int/float/bool operands; undefined otherwise. */
function numericOp(op: string, a: Value, b: Value, R: Range): Value | undefined {
  const num = (v: Value): number | undefined => (isNumber(v) ? v.v : v.k === 'bool' ? Number(v.v) : undefined);
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return undefined;
  const isInt = (a.k === 'int' || a.k === 'bool') && (b.k === 'int' || b.k === 'bool');
  const mk = (v: number | undefined, int: boolean, why = BEYOND): Value =>
    v === undefined ? unknown(R, why) : int ? intValue(v, R) : { k: 'float', v, r: R };
  switch (op) {
    case '+':
      return mk(x + y, isInt);
    case '-':
      return mk(x - y, isInt);
    case '*':
      return mk(x * y, isInt);
    case '/':
      // int / int is correctly rounded in Python; for safe ints, so is the double division.
      return y === 0 ? unknown(R, 'division by zero') : mk(x / y, false);
    case '//':
      return y === 0 ? unknown(R, 'division by zero') : mk(isInt ? intDivMod(x, y)[0] : floatDivMod(x, y)[0], isInt);
    case '%':
      return y === 0 ? unknown(R, 'division by zero') : mk(isInt ? intDivMod(x, y)[1] : floatDivMod(x, y)[1], isInt);
    case '**':
      if (isInt && y >= 0) return mk(intPow(x, y), true);
      return mk(floatPow(x, y), false, 'a power Python raises on, or one with inf or nan');
    case '<<':
    case '>>':
    case '&':
    case '|':
    case '^':
      return isInt ? mk(intBitOp(op, x, y), true, op === '<<' || op === '>>' ? 'a shift that Python refuses or that goes beyond ±2**53' : BEYOND) : unknown(R, `${op} of a float`);
    case '==':
      return { k: 'bool', v: x === y, r: R };
    case '!=':
      return { k: 'bool', v: x !== y, r: R };
    case '<':
      return { k: 'bool', v: x < y, r: R };
    case '<=':
      return { k: 'bool', v: x <= y, r: R };
    case '>':
      return { k: 'bool', v: x > y, r: R };
    case '>=':
      return { k: 'bool', v: x >= y, r: R };
    default:
      return undefined;
  }
}

/** str + str, str == str, substring `in`, and `str % args`; undefined otherwise. */
function stringOp(op: string, a: Value, b: Value, R: Range, meter: Meter): Value | undefined {
  if (a.k === 'str' && b.k === 'str') {
    switch (op) {
      case '+': {
        const n = a.v.length + b.v.length;
        if (n > MAX_STR) return unknown(R, 'a str too long to follow', pyLen(a.v) + pyLen(b.v));
        meter.chars(n);
        return { k: 'str', v: a.v + b.v, r: R };
      }
      case '==':
      case '!=':
        meter.scan(Math.min(a.v.length, b.v.length), CHARS_PER_UNIT);
        return { k: 'bool', v: (a.v === b.v) === (op === '=='), r: R };
      case 'in':
      case 'not in':
        meter.scan(a.v.length + b.v.length, CHARS_PER_UNIT);
        return { k: 'bool', v: b.v.includes(a.v) === (op === 'in'), r: R };
    }
  }
  if (op === '%' && a.k === 'str') {
    const args = b.k === 'tuple' ? b.items : [b];
    meter.scan(a.v.length, CHARS_PER_UNIT);
    const s = formatPercent(a.v, args);
    if (s === undefined) return unknown(R, '%-formatting that cannot be followed');
    meter.chars(s.length);
    return { k: 'str', v: s, r: R };
  }
  return undefined;
}

/** Repetition (seq * n), concatenation of lists or tuples, and `in` a sequence, range or dict; undefined otherwise. */
function sequenceOp(op: string, a: Value, b: Value, R: Range, meter: Meter): Value | undefined {
  if (op === '*') {
    const seq = isSeq(a) || a.k === 'str' ? a : isSeq(b) || b.k === 'str' ? b : undefined;
    const n = seq === a ? b : a;
    if (seq && (n.k === 'int' || n.k === 'bool')) {
      const times = Math.max(0, Number(n.v));
      if (seq.k === 'str') {
        // The length is known even when the str is too long to build.
        const len = seq.v.length * times;
        if (len > MAX_STR) return unknown(R, 'a str too long to follow', pyLen(seq.v) * times);
        meter.chars(len);
        return { k: 'str', v: seq.v.repeat(times), r: R };
      }
      if (isSeq(seq)) {
        const len = seq.items.length * times;
        if (len > MAX_SEQ) return unknown(R, `a ${seq.k} too long to follow`, len);
        meter.slots(len);
        const items: Value[] = [];
        if (len > 0) for (let i = 0; i < times; i++) for (const it of seq.items) items.push(it);
        return { k: seq.k, items, r: R };
      }
    }
  }
  if (op === '+' && isSeq(a) && isSeq(b) && a.k === b.k) {
    const len = a.items.length + b.items.length;
    if (len > MAX_SEQ) return unknown(R, `a ${a.k} too long to follow`, len);
    meter.slots(len);
    return { k: a.k, items: a.items.concat(b.items), r: R };
  }
  if ((op === 'in' || op === 'not in') && isSeq(b)) {
    meter.scan(b.items.length);
    const found = b.items.some((i) => scalarEq(i, a));
    // Lists, tuples and nan compare in ways not followed here: only a match found is certain.
    const uncertain = !isScalar(a) || (a.k === 'float' && Number.isNaN(a.v)) || b.items.some((i) => !isScalar(i));
    if (!found && uncertain) return unknown(R, 'membership in a sequence that cannot be known');
    return { k: 'bool', v: op === 'in' ? found : !found, r: R };
  }
  if ((op === 'in' || op === 'not in') && b.k === 'range' && (a.k === 'int' || a.k === 'bool' || a.k === 'float')) {
    const x = Number(a.v);
    const n = rangeLen(b.start, b.stop, b.step);
    const d = x - b.start;
    if (!Number.isSafeInteger(Math.trunc(d))) return unknown(R, 'membership in a range beyond ±2**53');
    const found = d % b.step === 0 && d / b.step >= 0 && d / b.step < n;
    return { k: 'bool', v: op === 'in' ? found : !found, r: R };
  }
  if ((op === 'in' || op === 'not in') && b.k === 'dict' && a.k === 'str') {
    const found = b.entries.has(a.v);
    if (!found && !b.complete) return unknown(R, 'membership in a dict that cannot be known');
    return { k: 'bool', v: op === 'in' ? found : !found, r: R };
  }
  return undefined;
}

/** `is`/`==` (and their negations) against None, between module references and between booleans; undefined otherwise. */
function identityOp(op: string, a: Value, b: Value, R: Range): Value | undefined {
  if (op !== 'is' && op !== 'is not' && op !== '==' && op !== '!=') return undefined;
  if (a.k === 'none' || b.k === 'none') {
    const same = a.k === b.k;
    return { k: 'bool', v: op === 'is' || op === '==' ? same : !same, r: R };
  }
  if ((a.k === 'ref' && b.k === 'ref') || (a.k === 'bool' && b.k === 'bool')) {
    const same = a.k === 'ref' && b.k === 'ref' ? a.path.join('.') === b.path.join('.') : (a as { v: boolean }).v === (b as { v: boolean }).v;
    return { k: 'bool', v: op === 'is' || op === '==' ? same : !same, r: R };
  }
  return undefined;
}

/** `o[idx]` of a list, tuple, range, str or dict (`live` gives the current value of a stored item). */
export function subscriptValue(o: Value, idx: Value, R: Range, live: (v: Value) => Value): Value {
  if (idx.k === 'bool' && o.k !== 'dict') idx = { k: 'int', v: Number(idx.v), r: idx.r };
  if (isSeq(o) && idx.k === 'int') {
    const i = idx.v < 0 ? o.items.length + idx.v : idx.v;
    if (i >= 0 && i < o.items.length) return live(o.items[i]);
    return unknown(R, 'an index out of range');
  }
  if (o.k === 'range' && idx.k === 'int') {
    const n = rangeLen(o.start, o.stop, o.step);
    const i = idx.v < 0 ? n + idx.v : idx.v;
    return i >= 0 && i < n ? intValue(rangeItem(o, i), R) : unknown(R, 'an index out of range');
  }
  if (o.k === 'str' && idx.k === 'int') {
    const len = pyLen(o.v);
    const i = idx.v < 0 ? len + idx.v : idx.v;
    return i >= 0 && i < len ? { k: 'str', v: pyCharAt(o.v, i), r: R } : unknown(R, 'an index out of range');
  }
  if (o.k === 'dict' && idx.k === 'str') {
    const e = o.entries.get(idx.v);
    return e ? live(e.value) : unknown(R, `key '${idx.v}' is not known`);
  }
  return unknown(R, 'a subscript of a value that cannot be known');
}

/** `o[a:b:s]` of a list, tuple, range or str, with omitted bounds undefined; a step other than 1 is not followed. */
export function sliceValue(
  o: Extract<Value, { k: 'list' | 'tuple' | 'str' }> | RangeValue,
  a: number | undefined,
  b: number | undefined,
  s: number | undefined,
  R: Range,
  meter: Meter = UNMETERED,
): Value {
  const len = o.k === 'str' ? pyLen(o.v) : o.k === 'range' ? rangeLen(o.start, o.stop, o.step) : o.items.length;
  const step = s ?? 1;
  if (step !== 1) return unknown(R, 'a stepped slice');
  const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? Math.max(0, len + x) : Math.min(len, x));
  const lo = norm(a, 0);
  const hi = Math.max(lo, norm(b, len));
  if (o.k === 'range') return { k: 'range', start: rangeItem(o, lo), stop: rangeItem(o, hi), step: o.step, r: R };
  if (o.k === 'str') {
    meter.chars(hi - lo);
    return { k: 'str', v: pySliceStr(o.v, lo, hi), r: R };
  }
  meter.slots(hi - lo);
  return { k: o.k, items: o.items.slice(lo, hi), r: R };
}
