/**
 * Python's operators on values: the truth value of a value, equality of scalars, iteration, the
 * unary operators, the binary operators (arithmetic with int/float/bool promotion, comparisons,
 * string concatenation and %-formatting, sequence concatenation and repetition, `in`, `is`/`==`
 * with None, booleans and module references), and indexing and slicing. What Python would compute
 * but this code cannot know is an `unknown` value carrying the reason.
 */
import type { Range } from '../text';
import { pyFloorDiv, pyMod } from './numbers';
import { formatPercent } from './strings';
import { isNumber, isSeq, MAX_SEQ, unknown, type Value } from './values';

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
    case 'dict':
      return v.complete ? v.entries.size > 0 : undefined;
    case 'config':
    case 'func':
    case 'builtin':
    case 'tensor':
      return true;
    default:
      return undefined;
  }
}

export function isScalar(v: Value): boolean {
  return v.k === 'int' || v.k === 'float' || v.k === 'str' || v.k === 'bool' || v.k === 'none';
}

/** Python's == on two scalars of comparable kinds (false for anything else). */
export function scalarEq(a: Value, b: Value): boolean {
  if ((a.k === 'int' || a.k === 'float') && (b.k === 'int' || b.k === 'float')) return a.v === b.v;
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  if (a.k === 'bool' && b.k === 'bool') return a.v === b.v;
  if (a.k === 'none' && b.k === 'none') return true;
  return false;
}

/** The items of an iterable value (a new array), or undefined when they cannot be known. */
export function iterItems(v: Value | undefined): Value[] | undefined {
  if (!v) return undefined;
  if (isSeq(v)) return v.items.slice();
  if (v.k === 'str') return [...v.v].map((c) => ({ k: 'str', v: c, r: v.r }) as Value);
  if (v.k === 'dict' && v.complete) return [...v.entries.keys()].map((k) => ({ k: 'str', v: k, r: v.r }) as Value);
  return undefined;
}

/** `op v` for a unary operator (not, -, +, ~); `literal`: v is a literal written right after op (so `-3` stays one). */
export function unaryOp(op: string, v: Value, R: Range, literal: boolean): Value {
  if (op === 'not') {
    const t = truthy(v);
    return t === undefined ? unknown(R, 'unknown truth value') : { k: 'bool', v: !t, r: R };
  }
  if (isNumber(v)) {
    if (op === '-') return { k: v.k, v: -v.v, r: R, literal };
    if (op === '+') return { k: v.k, v: v.v, r: R, literal };
    if (op === '~' && v.k === 'int') return { k: 'int', v: ~v.v, r: R };
  }
  if (v.k === 'bool' && (op === '-' || op === '+')) return { k: 'int', v: op === '-' ? -Number(v.v) : Number(v.v), r: R };
  return unknown(R, `unary ${op} of a value that cannot be known`);
}

/** `a op b` for a binary operator other than `and`/`or` (op as written, e.g. '//', 'not in', 'is not'). */
export function binop(op: string, a: Value, b: Value, R: Range): Value {
  if (a.k === 'unknown' || b.k === 'unknown') return unknown(R, 'an operand cannot be known');
  return (
    numericOp(op, a, b, R) ??
    stringOp(op, a, b, R) ??
    sequenceOp(op, a, b, R) ??
    identityOp(op, a, b, R) ??
    unknown(R, `${op} of values that cannot be combined statically`)
  );
}

/** Arithmetic, bitwise and comparison operators on int/float/bool operands; undefined otherwise. */
function numericOp(op: string, a: Value, b: Value, R: Range): Value | undefined {
  const num = (v: Value): number | undefined => (isNumber(v) ? v.v : v.k === 'bool' ? Number(v.v) : undefined);
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return undefined;
  const isInt = (a.k === 'int' || a.k === 'bool') && (b.k === 'int' || b.k === 'bool');
  const mk = (v: number, int: boolean): Value => (int ? { k: 'int', v, r: R } : { k: 'float', v, r: R });
  switch (op) {
    case '+':
      return mk(x + y, isInt);
    case '-':
      return mk(x - y, isInt);
    case '*':
      return mk(x * y, isInt);
    case '/':
      return y === 0 ? unknown(R, 'division by zero') : mk(x / y, false);
    case '//':
      return y === 0 ? unknown(R, 'division by zero') : mk(pyFloorDiv(x, y), isInt);
    case '%':
      return y === 0 ? unknown(R, 'division by zero') : mk(pyMod(x, y), isInt);
    case '**':
      return isInt && y < 0 ? mk(x ** y, false) : mk(x ** y, isInt);
    case '<<':
      return isInt ? mk(x * 2 ** y, true) : unknown(R, 'shift of a float');
    case '>>':
      return isInt ? mk(Math.floor(x / 2 ** y), true) : unknown(R, 'shift of a float');
    case '&':
      return isInt ? mk(x & y, true) : unknown(R, 'bitwise op on a float');
    case '|':
      return isInt ? mk(x | y, true) : unknown(R, 'bitwise op on a float');
    case '^':
      return isInt ? mk(x ^ y, true) : unknown(R, 'bitwise op on a float');
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
function stringOp(op: string, a: Value, b: Value, R: Range): Value | undefined {
  if (a.k === 'str' && b.k === 'str') {
    switch (op) {
      case '+':
        return { k: 'str', v: a.v + b.v, r: R };
      case '==':
        return { k: 'bool', v: a.v === b.v, r: R };
      case '!=':
        return { k: 'bool', v: a.v !== b.v, r: R };
      case 'in':
        return { k: 'bool', v: b.v.includes(a.v), r: R };
      case 'not in':
        return { k: 'bool', v: !b.v.includes(a.v), r: R };
    }
  }
  if (op === '%' && a.k === 'str') {
    const args = b.k === 'tuple' ? b.items : [b];
    const s = formatPercent(a.v, args);
    return s === undefined ? unknown(R, '%-formatting that cannot be followed') : { k: 'str', v: s, r: R };
  }
  return undefined;
}

/** Repetition (seq * n), concatenation of lists or tuples, and `in` a sequence or dict; undefined otherwise. */
function sequenceOp(op: string, a: Value, b: Value, R: Range): Value | undefined {
  if (op === '*') {
    const seq = isSeq(a) || a.k === 'str' ? a : isSeq(b) || b.k === 'str' ? b : undefined;
    const n = seq === a ? b : a;
    if (seq && (n.k === 'int' || n.k === 'bool')) {
      const times = Math.max(0, Number(n.v));
      if (seq.k === 'str') return { k: 'str', v: seq.v.repeat(Math.min(times, MAX_SEQ)), r: R };
      if (isSeq(seq)) {
        if (seq.items.length * times > MAX_SEQ) return unknown(R, 'a sequence too long to follow');
        const items: Value[] = [];
        for (let i = 0; i < times; i++) items.push(...seq.items);
        return { k: seq.k, items, r: R };
      }
    }
  }
  if (op === '+' && isSeq(a) && isSeq(b) && a.k === b.k) return { k: a.k, items: [...a.items, ...b.items], r: R };
  if ((op === 'in' || op === 'not in') && isSeq(b)) {
    const found = b.items.some((i) => scalarEq(i, a));
    const unknownItem = b.items.some((i) => i.k === 'unknown');
    if (!found && unknownItem) return unknown(R, 'membership in a sequence that cannot be known');
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

/** `o[idx]` of a list, tuple, str or dict (`live` gives the current value of a stored item). */
export function subscriptValue(o: Value, idx: Value, R: Range, live: (v: Value) => Value): Value {
  if (isSeq(o) && idx.k === 'int') {
    const i = idx.v < 0 ? o.items.length + idx.v : idx.v;
    if (i >= 0 && i < o.items.length) return live(o.items[i]);
    return unknown(R, 'an index out of range');
  }
  if (o.k === 'str' && idx.k === 'int') {
    const i = idx.v < 0 ? o.v.length + idx.v : idx.v;
    return i >= 0 && i < o.v.length ? { k: 'str', v: o.v[i], r: R } : unknown(R, 'an index out of range');
  }
  if (o.k === 'dict' && idx.k === 'str') {
    const e = o.entries.get(idx.v);
    return e ? live(e.value) : unknown(R, `key '${idx.v}' is not known`);
  }
  return unknown(R, 'a subscript of a value that cannot be known');
}

/** `o[a:b:s]` of a list, tuple or str, with omitted bounds undefined; a step other than 1 is not followed. */
export function sliceValue(o: Extract<Value, { k: 'list' | 'tuple' | 'str' }>, a: number | undefined, b: number | undefined, s: number | undefined, R: Range): Value {
  const len = o.k === 'str' ? o.v.length : o.items.length;
  const step = s ?? 1;
  if (step !== 1) return unknown(R, 'a stepped slice');
  const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? Math.max(0, len + x) : Math.min(len, x));
  const lo = norm(a, 0);
  const hi = norm(b, len);
  if (o.k === 'str') return { k: 'str', v: o.v.slice(lo, hi), r: R };
  return { k: o.k, items: o.items.slice(lo, Math.max(lo, hi)), r: R };
}
