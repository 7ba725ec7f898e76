/**
 * Python's builtin functions as the evaluator knows them (int, float, round, abs, min, max, sum, len,
 * range, list, tuple, sorted, reversed, str, bool, print; dict(...) builds a dict in the evaluator,
 * which records it), and the few library functions a config calls: torch tensor factories (for
 * input shapes), math functions, copy.copy/deepcopy. Each takes evaluated arguments and returns a
 * value, `unknown` with the reason when Python's result cannot be known.
 */
import type { Range } from '../text';
import { pyFloatOfStr, pyIntOfStr, pyRound, pyRoundDigits, pyRoundIntDigits } from './numbers';
import { iterItems, truthy } from './operators';
import { pyStr } from './strings';
import { type CallArgs, clone, isNumber, isSeq, MAX_SEQ, unknown, type Value } from './values';

/** Names that refer to a builtin function unless the file binds them. */
export const BUILTIN_NAMES = new Set([
  'int', 'float', 'round', 'min', 'max', 'len', 'range', 'list', 'tuple', 'dict', 'str', 'bool', 'abs', 'sum', 'sorted', 'reversed', 'print',
]);

/** Builtins that consume an iterable, so a bare generator argument gives them its items. */
const ITERATING = ['list', 'tuple', 'sorted', 'min', 'max', 'sum'];

/** A call of the builtin `name` (not dict, which the evaluator builds itself). */
export function callBuiltin(name: string, args: CallArgs, R: Range): Value {
  let a = args.pos;
  if (args.opaque || args.errorArgs > 0) return unknown(R, `${name}() of arguments that cannot be known`);
  if (args.gen) {
    // A generator object: truthy; iterable once by the builtins that consume an iterable.
    if (name === 'bool') return { k: 'bool', v: true, r: R };
    if (!ITERATING.includes(name) || a.length !== 1 || args.gen.k !== 'tuple') return unknown(R, `${name}() of a generator`);
    a = [args.gen];
  }
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
      return aggregateBuiltin(name, a, R);
    case 'range':
    case 'list':
    case 'tuple':
    case 'sorted':
    case 'reversed':
      return sequenceBuiltin(name, a, args, R);
    case 'str': {
      const s = a[0] ? pyStr(a[0]) : '';
      return s === undefined ? unknown(R, 'str() of a value that cannot be known') : { k: 'str', v: s, r: R };
    }
    case 'bool': {
      const t = a[0] ? truthy(a[0]) : false;
      return t === undefined ? unknown(R, 'bool() of a value that cannot be known') : { k: 'bool', v: t, r: R };
    }
    case 'print':
      return { k: 'none', r: R };
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
      if (isNumber(v)) return { k: 'int', v: Math.trunc(v.v), r: R };
      if (v.k === 'bool') return { k: 'int', v: Number(v.v), r: R };
      const n = v.k === 'str' ? pyIntOfStr(v.v) : undefined;
      if (n !== undefined) return { k: 'int', v: n, r: R };
      return unknown(R, 'int() of a value that cannot be known');
    }
    case 'float': {
      if (!v) return { k: 'float', v: 0, r: R };
      if (isNumber(v)) return { k: 'float', v: v.v, r: R };
      const f = v.k === 'str' ? pyFloatOfStr(v.v) : undefined;
      if (f !== undefined) return { k: 'float', v: f, r: R };
      return unknown(R, 'float() of a value that cannot be known');
    }
    case 'round': {
      if (!isNumber(v)) return unknown(R, 'round() of a value that cannot be known');
      const nd = a[1];
      if (!nd || nd.k === 'none') return Number.isFinite(v.v) ? { k: 'int', v: v.k === 'int' ? v.v : pyRound(v.v), r: R } : unknown(R, 'round() of inf or nan');
      if (nd.k === 'int') {
        if (v.k === 'float') return { k: 'float', v: pyRoundDigits(v.v, nd.v), r: R };
        const n = pyRoundIntDigits(v.v, nd.v);
        return n === undefined ? unknown(R, 'round() of an int too large to follow') : { k: 'int', v: n, r: R };
      }
      return unknown(R, 'round() with a precision that cannot be known');
    }
    case 'abs':
      return isNumber(v) ? { k: v.k, v: Math.abs(v.v), r: R } : unknown(R, 'abs() of a value that cannot be known');
  }
}

/** min(), max(), sum(), len(). */
function aggregateBuiltin(name: 'min' | 'max' | 'sum' | 'len', a: Value[], R: Range): Value {
  switch (name) {
    case 'min':
    case 'max': {
      const items = a.length === 1 ? iterItems(a[0]) : a;
      if (!items || items.length === 0 || !items.every((i) => isNumber(i))) return unknown(R, `${name}() of values that cannot be known`);
      const nums = items as (Value & { v: number })[];
      let best = nums[0];
      for (const x of nums) if (name === 'min' ? x.v < best.v : x.v > best.v) best = x;
      return { ...best, r: R, literal: false, def: undefined };
    }
    case 'sum': {
      const items = iterItems(a[0]);
      if (!items || !items.every((i) => isNumber(i) || i.k === 'bool')) return unknown(R, 'sum() of values that cannot be known');
      let total = 0;
      let isInt = true;
      for (const i of items) {
        total += i.k === 'bool' ? Number(i.v) : (i as { v: number }).v;
        if (i.k === 'float') isInt = false;
      }
      return isInt ? { k: 'int', v: total, r: R } : { k: 'float', v: total, r: R };
    }
    case 'len': {
      const v = a[0];
      if (v && isSeq(v)) return { k: 'int', v: v.items.length, r: R };
      if (v && v.k === 'str') return { k: 'int', v: v.v.length, r: R };
      if (v && v.k === 'dict' && v.complete) return { k: 'int', v: v.entries.size, r: R };
      return unknown(R, 'len() of a value that cannot be known');
    }
  }
}

/** range(), list(), tuple(), sorted(), reversed(). */
function sequenceBuiltin(name: 'range' | 'list' | 'tuple' | 'sorted' | 'reversed', a: Value[], args: CallArgs, R: Range): Value {
  if (name === 'range') {
    if (!a.every((v) => v.k === 'int')) return unknown(R, 'range() of values that cannot be known');
    const nums = a.map((v) => (v as { v: number }).v);
    const [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
    if (step === 0) return unknown(R, 'range() with step 0');
    const items: Value[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
      items.push({ k: 'int', v: i, r: R });
      if (items.length > MAX_SEQ) return unknown(R, 'a range too long to follow');
    }
    return { k: 'list', items, r: R };
  }
  if (a.length === 0) return { k: name === 'tuple' ? 'tuple' : 'list', items: [], r: R };
  let out = iterItems(a[0]);
  if (!out) return unknown(R, `${name}() of a value that cannot be known`);
  if (name === 'sorted') {
    if (!out.every((i) => isNumber(i)) && !out.every((i) => i.k === 'str')) return unknown(R, 'sorted() of values that cannot be ordered statically');
    out.sort((x, y) => ((x as { v: number }).v < (y as { v: number }).v ? -1 : (x as { v: number }).v > (y as { v: number }).v ? 1 : 0));
    if (args.kw.get('reverse')?.value.k === 'bool' && (args.kw.get('reverse')!.value as { v: boolean }).v) out.reverse();
  }
  if (name === 'reversed') out = out.reverse();
  return { k: name === 'tuple' ? 'tuple' : 'list', items: out, r: R };
}

/** Tensor factories of torch whose result has a known shape. */
const TORCH_FACTORIES = ['randn', 'rand', 'zeros', 'ones', 'empty', 'randint', 'full'];

/** A call of a function reached through a module reference (torch.zeros, math.log2, copy.deepcopy, ...). */
export function callModuleFunction(path: string[], args: CallArgs, R: Range): Value {
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
  if (mod === 'math' && args.pos.length >= 1 && args.pos.every(isNumber)) {
    const xs = args.pos.map((v) => v.v);
    const fns: Record<string, (...a: number[]) => number> = {
      log2: Math.log2, log: (x, b) => (b ? Math.log(x) / Math.log(b) : Math.log(x)), sqrt: Math.sqrt, pow: Math.pow, exp: Math.exp,
    };
    const intFns: Record<string, (x: number) => number> = { ceil: Math.ceil, floor: Math.floor, trunc: Math.trunc };
    if (fns[last]) return { k: 'float', v: fns[last](...xs), r: R };
    if (intFns[last]) return { k: 'int', v: intFns[last](xs[0]), r: R };
  }
  if (mod === 'copy' && (last === 'deepcopy' || last === 'copy') && args.pos.length === 1) return { ...clone(args.pos[0], last === 'deepcopy' ? 16 : 1), r: R };
  return unknown(R, `a call of ${path.join('.')}`);
}
