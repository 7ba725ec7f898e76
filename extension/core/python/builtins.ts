/**
 * Python's builtin functions as the evaluator knows them (int, float, round, abs, min, max, sum, len,
 * range, list, tuple, sorted, reversed, str, bool, print; dict(...) builds a dict in the evaluator,
 * which records it), and the few library functions a config calls: torch tensor factories (for
 * input shapes), math functions, copy.copy/deepcopy. Each takes evaluated arguments and returns a
 * value, `unknown` with the reason when Python's result cannot be known.
 */
import type { Range } from '../text';
import { type Meter, UNMETERED } from './budget';
import { exactLog2, floatPow, pyFloatOfStr, pyIntOfStr, pyRound, pyRoundDigits, pyRoundIntDigits } from './numbers';
import { iterItems, truthy } from './operators';
import { pyLen, pyStr, pyStrCompare } from './strings';
import { type CallArgs, clone, intValue, isNumber, isSeq, rangeLen, unknown, type Value } from './values';

/** Names that refer to a builtin function unless the file binds them. */
export const BUILTIN_NAMES = new Set([
  'int', 'float', 'round', 'min', 'max', 'len', 'range', 'list', 'tuple', 'dict', 'str', 'bool', 'abs', 'sum', 'sorted', 'reversed', 'print',
]);

/** Builtins that consume an iterable, so a bare generator argument gives them its items. */
const ITERATING = ['list', 'tuple', 'sorted', 'min', 'max', 'sum'];

/** A call of the builtin `name` (not dict, which the evaluator builds itself). */
export function callBuiltin(name: string, args: CallArgs, R: Range, meter: Meter = UNMETERED): Value {
  let a = args.pos;
  if (args.opaque || args.errorArgs > 0) return unknown(R, `${name}() of arguments that cannot be known`);
  if (args.gen) {
    // A generator object: truthy; iterable once by the builtins that consume an iterable.
    if (name === 'bool') return { k: 'bool', v: true, r: R };
    if (!ITERATING.includes(name) || a.length !== 1 || args.gen.k !== 'tuple') return unknown(R, `${name}() of a generator`);
    a = [args.gen];
  }
  // Keyword arguments are followed only where Python takes them (sorted's reverse=).
  if (args.kw.size > 0 && !(name === 'sorted' && [...args.kw.keys()].every((k) => k === 'reverse'))) return unknown(R, `${name}() with keyword arguments`);
  switch (name) {
    case 'int':
    case 'float':
    case 'round':
    case 'abs':
      return numberBuiltin(name, a, R);
    case 'min':
    case 'max':
    case 'sum':
    case 'len':
      return aggregateBuiltin(name, a, R, meter);
    case 'range':
    case 'list':
    case 'tuple':
    case 'sorted':
    case 'reversed':
      return sequenceBuiltin(name, a, args, R, meter);
    case 'str': {
      if (a.length > 1) return unknown(R, 'str() with an encoding');
      const s = a[0] ? pyStr(a[0]) : '';
      if (s === undefined) return unknown(R, 'str() of a value that cannot be known');
      meter.chars(s.length);
      return { k: 'str', v: s, r: R };
    }
    case 'bool': {
      if (a.length > 1) return unknown(R, 'bool() of more than one argument');
      const t = a[0] ? truthy(a[0]) : false;
      return t === undefined ? unknown(R, 'bool() of a value that cannot be known') : { k: 'bool', v: t, r: R };
    }
    case 'print':
      // None once it has printed; an argument that cannot be known may raise before.
      return a.some((v) => v.k === 'unknown') ? unknown(R, 'print() of a value that cannot be known') : { k: 'none', r: R };
    default:
      return unknown(R, `${name}()`);
  }
}

/** int(), float(), round(), abs(). */
function numberBuiltin(name: 'int' | 'float' | 'round' | 'abs', a: Value[], R: Range): Value {
  const v = a[0];
  switch (name) {
    case 'int': {
      if (!v) return { k: 'int', v: 0, r: R };
      if (a.length > 1) return unknown(R, 'int() with a base');
      if (isNumber(v)) return Number.isFinite(v.v) ? intValue(Math.trunc(v.v), R) : unknown(R, 'int() of inf or nan');
      if (v.k === 'bool') return { k: 'int', v: Number(v.v), r: R };
      const n = v.k === 'str' ? pyIntOfStr(v.v) : undefined;
      if (n !== undefined) return intValue(n, R);
      return unknown(R, 'int() of a value that cannot be known');
    }
    case 'float': {
      if (!v) return { k: 'float', v: 0, r: R };
      if (a.length > 1) return unknown(R, 'float() of more than one argument');
      if (isNumber(v)) return { k: 'float', v: v.v, r: R };
      if (v.k === 'bool') return { k: 'float', v: Number(v.v), r: R };
      const f = v.k === 'str' ? pyFloatOfStr(v.v) : undefined;
      if (f !== undefined) return { k: 'float', v: f, r: R };
      return unknown(R, 'float() of a value that cannot be known');
    }
    case 'round': {
      if (!isNumber(v) || a.length > 2) return unknown(R, 'round() of a value that cannot be known');
      const nd = a[1];
      if (!nd || nd.k === 'none') return Number.isFinite(v.v) ? intValue(v.k === 'int' ? v.v : pyRound(v.v), R) : unknown(R, 'round() of inf or nan');
      if (nd.k === 'int') {
        if (v.k === 'float') return { k: 'float', v: pyRoundDigits(v.v, nd.v), r: R };
        const n = pyRoundIntDigits(v.v, nd.v);
        return n === undefined ? unknown(R, 'round() of an int too large to follow') : intValue(n, R);
      }
      return unknown(R, 'round() with a precision that cannot be known');
    }
    case 'abs':
      if (a.length !== 1) return unknown(R, 'abs() of other than one argument');
      if (v.k === 'bool') return { k: 'int', v: Number(v.v), r: R };
      return isNumber(v) ? (v.k === 'int' ? intValue(Math.abs(v.v), R) : { k: 'float', v: Math.abs(v.v), r: R }) : unknown(R, 'abs() of a value that cannot be known');
  }
}

/** min(), max(), sum(), len(). */
function aggregateBuiltin(name: 'min' | 'max' | 'sum' | 'len', a: Value[], R: Range, meter: Meter): Value {
  switch (name) {
    case 'min':
    case 'max': {
      const items = a.length === 1 ? iterItems(a[0], meter) : a;
      if (!items || items.length === 0 || !items.every((i) => isNumber(i))) return unknown(R, `${name}() of values that cannot be known`);
      const nums = items as (Value & { v: number })[];
      // nan makes the result depend on where it stands: not followed.
      if (nums.some((x) => Number.isNaN(x.v))) return unknown(R, `${name}() of nan`);
      let best = nums[0];
      for (const x of nums) if (name === 'min' ? x.v < best.v : x.v > best.v) best = x;
      return { ...best, r: R, literal: false, def: undefined };
    }
    case 'sum': {
      if (a.length !== 1) return unknown(R, 'sum() with a start value');
      const items = iterItems(a[0], meter);
      if (!items || !items.every((i) => isNumber(i) || i.k === 'bool')) return unknown(R, 'sum() of values that cannot be known');
      let total = 0;
      // Python 3.12 adds floats with compensated (Neumaier) summation, older versions plainly:
      // the result is known only when both agree.
      let comp = 0;
      let isInt = true;
      for (const i of items) {
        const x = i.k === 'bool' ? Number(i.v) : (i as { v: number }).v;
        if (i.k === 'float') isInt = false;
        const t = total + x;
        // Python adds ints exactly until the first float: beyond 2**53 doubles would not.
        if (isInt && !Number.isSafeInteger(t)) return unknown(R, 'an integer beyond ±2**53 (not followed)');
        comp += Math.abs(total) >= Math.abs(x) ? total - t + x : x - t + total;
        total = t;
      }
      if (isInt) return intValue(total, R);
      if (Number.isFinite(total) && comp !== 0 && total + comp !== total) return unknown(R, 'a float sum that depends on the Python version');
      return { k: 'float', v: total, r: R };
    }
    case 'len': {
      const v = a[0];
      if (a.length !== 1) return unknown(R, 'len() of other than one argument');
      if (isSeq(v)) return { k: 'int', v: v.items.length, r: R };
      if (v.k === 'str') return { k: 'int', v: pyLen(v.v), r: R };
      if (v.k === 'range') return intValue(rangeLen(v.start, v.stop, v.step), R);
      if (v.k === 'dict' && v.complete) return { k: 'int', v: v.entries.size, r: R };
      if (v.k === 'unknown' && v.len !== undefined) return intValue(v.len, R);
      return unknown(R, 'len() of a value that cannot be known');
    }
  }
}

/** range(), list(), tuple(), sorted(), reversed(). */
function sequenceBuiltin(name: 'range' | 'list' | 'tuple' | 'sorted' | 'reversed', a: Value[], args: CallArgs, R: Range, meter: Meter): Value {
  if (name === 'range') {
    const nums = a.map((v) => (v.k === 'int' ? v.v : v.k === 'bool' ? Number(v.v) : undefined));
    if (a.length < 1 || a.length > 3 || !nums.every((v) => v !== undefined)) return unknown(R, 'range() of values that cannot be known');
    const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
    if (step === 0) return unknown(R, 'range() with step 0');
    return { k: 'range', start, stop, step, r: R };
  }
  if (a.length === 0) return name === 'sorted' || name === 'reversed' ? unknown(R, `${name}() of no argument`) : { k: name === 'tuple' ? 'tuple' : 'list', items: [], r: R };
  if (a.length > 1) return unknown(R, `${name}() of more than one argument`);
  if (name === 'reversed' && a[0].k !== 'list' && a[0].k !== 'tuple' && a[0].k !== 'range' && a[0].k !== 'str') {
    return unknown(R, 'reversed() of a value that cannot be reversed statically');
  }
  const out = iterItems(a[0], meter);
  if (!out) return unknown(R, `${name}() of a value that cannot be known`);
  if (name === 'sorted') {
    const nums = out.every((i) => isNumber(i) || i.k === 'bool');
    if (!nums && !out.every((i) => i.k === 'str')) return unknown(R, 'sorted() of values that cannot be ordered statically');
    if (nums && out.some((i) => i.k !== 'bool' && Number.isNaN((i as { v: number }).v))) return unknown(R, 'sorted() of nan');
    const rev = args.kw.get('reverse')?.value;
    if (rev && rev.k !== 'bool' && rev.k !== 'int') return unknown(R, 'sorted() with a reverse that cannot be known');
    meter.sort(out.length);
    sortValues(out, !!rev && Number((rev as { v: number | boolean }).v) !== 0);
  }
  if (name === 'reversed') return { k: 'iter', items: out.reverse(), r: R };
  return { k: name === 'tuple' ? 'tuple' : 'list', items: out, r: R };
}

/**
 * Sort numbers (bools as 0/1) or str in place as Python does: a stable sort; with reverse, equal
 * items keep their order too (Python reverses, sorts stably, and reverses back).
 */
export function sortValues(items: Value[], reverse: boolean): void {
  const key = (x: Value) => (x.k === 'bool' ? Number(x.v) : (x as { v: number | string }).v);
  const cmp = (p: Value, q: Value): number => {
    const a = key(p);
    const b = key(q);
    if (typeof a === 'string' || typeof b === 'string') return pyStrCompare(String(a), String(b));
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const sorted = items.map((x, i) => ({ x, i })).sort((p, q) => (reverse ? cmp(q.x, p.x) : cmp(p.x, q.x)) || p.i - q.i);
  sorted.forEach((p, i) => (items[i] = p.x));
}

/** Tensor factories of torch whose result has a known shape. */
const TORCH_FACTORIES = ['randn', 'rand', 'zeros', 'ones', 'empty', 'randint', 'full'];

/** A call of a function reached through a module reference (torch.zeros, math.log2, copy.deepcopy, ...). */
export function callModuleFunction(path: string[], args: CallArgs, R: Range, meter: Meter = UNMETERED): Value {
  const last = path[path.length - 1];
  const mod = path[0];
  if (mod === 'torch' && TORCH_FACTORIES.includes(last)) {
    let dims = args.pos;
    if (last === 'randint') dims = args.pos.length >= 3 ? [args.pos[2]] : [];
    if (last === 'full') dims = args.pos.slice(0, 1);
    const size = args.kw.get('size')?.value;
    if (size) dims = [size];
    if (dims.length === 1 && isSeq(dims[0])) dims = dims[0].items.slice();
    return { k: 'tensor', shape: dims, r: R };
  }
  if (mod === 'math' && path.length === 2 && args.pos.length >= 1 && args.pos.every((v) => isNumber(v) || v.k === 'bool') && args.kw.size === 0 && !args.opaque) {
    const xs = args.pos.map((v) => (v.k === 'bool' ? Number(v.v) : (v as { v: number }).v));
    const x = xs[0];
    // Only what libm computes exactly: its last digit elsewhere is not V8's (log, exp, pow differ often).
    const exact: Record<string, () => number | undefined> = {
      sqrt: () => (xs.length === 1 && x >= 0 ? Math.sqrt(x) : undefined),
      log2: () => (xs.length === 1 ? exactLog2(x) : undefined),
      log: () => (xs.length === 1 && x === 1 ? 0 : undefined),
      exp: () => (xs.length === 1 && x === 0 ? 1 : undefined),
      pow: () => (xs.length === 2 ? floatPow(x, xs[1]) : undefined),
    };
    const intFns: Record<string, (x: number) => number> = { ceil: Math.ceil, floor: Math.floor, trunc: Math.trunc };
    if (exact[last]) {
      const v = exact[last]();
      return v !== undefined && Number.isFinite(v) ? { k: 'float', v, r: R } : unknown(R, `math.${last}() outside its domain, or a result not reproduced exactly`);
    }
    if (intFns[last] && xs.length === 1) return Number.isFinite(x) ? intValue(intFns[last](x), R) : unknown(R, `math.${last}() of inf or nan`);
  }
  if (mod === 'copy' && path.length === 2 && (last === 'deepcopy' || last === 'copy') && args.pos.length === 1 && args.kw.size === 0) {
    return { ...clone(args.pos[0], last === 'deepcopy' ? 16 : 1, meter), r: R };
  }
  return unknown(R, `a call of ${path.join('.')}`);
}
