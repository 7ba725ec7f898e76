/** Values the static evaluator produces. Every value remembers where it was written. */
import type { Range } from '../text';
import type { PNode } from './parse';
import { ENTRY_BYTES, type Meter, UNMETERED } from './budget';

export interface Base {
  /** Where the value is written (the expression at the use site). */
  r: Range;
  /** Where a name's value was defined, when it came through a name. */
  def?: Range;
  /** True when r covers a literal token (safe to replace by a quick fix). */
  literal?: boolean;
}

export type Value =
  | (Base & { k: 'int'; v: number })
  | (Base & { k: 'float'; v: number })
  | (Base & { k: 'str'; v: string })
  | (Base & { k: 'bool'; v: boolean })
  | (Base & { k: 'none' })
  | (Base & { k: 'list'; items: Value[] })
  | (Base & { k: 'tuple'; items: Value[] })
  | DictValue
  | ConfigValue
  | (Base & { k: 'func'; name: string; id: number })
  | (Base & { k: 'builtin'; name: string })
  | (Base & { k: 'ref'; path: string[] })
  | (Base & { k: 'tensor'; shape: Value[] })
  /** range(start, stop, step), never built as a list (len, indexing, `in` and iteration read it as it is). */
  | RangeValue
  /** An iterator whose items are known (reversed(x)): consumed by iterating it, once. */
  | (Base & { k: 'iter'; items: Value[] })
  /** A value that cannot be known; `len` when its length is known (a str or list too long to build). */
  | (Base & { k: 'unknown'; why: string; len?: number });

export interface RangeValue extends Base {
  k: 'range';
  start: number;
  stop: number;
  step: number;
}

export interface DictValue extends Base {
  k: 'dict';
  entries: Map<string, DictEntry>;
  /** False when some keys could not be known (** of an unknown, non-string keys). */
  complete: boolean;
  /** Range of the `dict(...)` call or `{...}` literal. */
  node: Range;
}

export interface DictEntry {
  value: Value;
  /** Range of the key (`name` in dict(name=...) or the string key). */
  keyRange: Range;
  /** Range of the whole `key=value` / `key: value` item. */
  itemRange: Range;
}

export interface ConfigArg {
  value: Value;
  /** Range of the keyword name, absent for positional arguments. */
  nameRange?: Range;
  /** Range of the whole argument. */
  argRange: Range;
}

/** One `MixVarGENetConfig(...)` call. */
export interface ConfigValue extends Base {
  k: 'config';
  /** Stable id within one analysis (the call's start offset). */
  id: number;
  /** Range of the callee name. */
  callee: Range;
  /** Range of the whole call. */
  call: Range;
  /** Range of the argument list, including the parentheses. */
  argList: Range;
  args: Map<string, ConfigArg>;
  /** Keyword names that are not fields. */
  unknownKwargs: { name: string; nameRange: Range; argRange: Range }[];
  /** Positional arguments beyond the dataclass's fields. */
  extraPositional: Range[];
  /** Fields given twice (positional and keyword, or keyword twice). */
  duplicates: { name: string; range: Range }[];
  /** *args / **kwargs that could not be expanded. */
  opaque: boolean;
  /** The call text contains a syntax error. */
  broken: boolean;
  /** The name it was called by (an alias of MixVarGENetConfig, possibly dotted). */
  calledAs: string;
}

/** The longest list or tuple the evaluator builds; longer ones are unknown (with their length). */
export const MAX_SEQ = 100_000;
/** The longest str the evaluator builds; longer ones are unknown (with their length). */
export const MAX_STR = 1_000_000;

/** The evaluated arguments of a call. */
export interface CallArgs {
  pos: Value[];
  /** The nodes of the positional arguments written one by one (not those expanded from *seq). */
  posNodes: PNode[];
  kw: Map<string, { value: Value; nameRange: Range; argRange: Range }>;
  /** Keyword arguments in the order written, repeats included. */
  kwOrder: { name: string; nameRange: Range; argRange: Range }[];
  /** Some arguments could not be known (*x, **x of an unknown value). */
  opaque: boolean;
  /** Arguments that are broken or not allowed where they are. */
  errorArgs: number;
  /** The items of a bare generator argument (its pos entry is unknown). */
  gen?: Value;
}

export function unknown(r: Range, why: string, len?: number): Value {
  return len === undefined ? { k: 'unknown', r, why } : { k: 'unknown', r, why, len };
}

/**
 * A Python int: exact while it is a safe integer (|v| < 2**53); beyond that Python's ints are exact
 * and doubles are not, so it is unknown. -0 is 0 (ints have no negative zero).
 */
export function intValue(v: number, r: Range, literal?: boolean): Value {
  if (!Number.isSafeInteger(v)) return unknown(r, 'an integer beyond ±2**53 (not followed)');
  const n = v === 0 ? 0 : v;
  return literal ? { k: 'int', v: n, r, literal } : { k: 'int', v: n, r };
}

/** The number of items of range(start, stop, step) (safe ints, step ≠ 0), exactly. */
export function rangeLen(start: number, stop: number, step: number): number {
  const d = step > 0 ? stop - start : start - stop;
  const s = Math.abs(step);
  if (d <= 0) return 0;
  if (!Number.isSafeInteger(d)) {
    const exact = step > 0 ? BigInt(stop) - BigInt(start) : BigInt(start) - BigInt(stop);
    return Number((exact + BigInt(s) - 1n) / BigInt(s));
  }
  const rem = d % s;
  return (d - rem) / s + (rem !== 0 ? 1 : 0);
}

/** The i-th item (0 ≤ i < length) of a range. */
export function rangeItem(v: RangeValue, i: number): number {
  return v.start + i * v.step;
}

export function isNumber(v: Value | undefined): v is Base & { k: 'int' | 'float'; v: number } {
  return !!v && (v.k === 'int' || v.k === 'float');
}

export function isSeq(v: Value | undefined): v is Base & { k: 'list' | 'tuple'; items: Value[] } {
  return !!v && (v.k === 'list' || v.k === 'tuple');
}

/**
 * A copy of a list/dict: new storage, so changes to the copy do not reach the original (lists and
 * dicts share their items array / entries map with every alias). Deep for depth > 1. Every slot and
 * entry copied is charged to the meter (a deep copy of shared lists can be far larger than its source).
 */
export function clone(v: Value, depth: number, meter: Meter = UNMETERED): Value {
  if (depth <= 0) return v;
  if (v.k === 'list') {
    meter.slots(v.items.length);
    return { ...v, items: v.items.map((i) => clone(i, depth - 1, meter)) };
  }
  if (v.k === 'tuple' && depth > 1) {
    meter.slots(v.items.length);
    return { ...v, items: v.items.map((i) => clone(i, depth - 1, meter)) };
  }
  if (v.k === 'dict') {
    meter.charge(1 + v.entries.size / 4, v.entries.size * ENTRY_BYTES);
    const entries = new Map<string, DictEntry>();
    for (const [k, e] of v.entries) entries.set(k, depth > 1 ? { ...e, value: clone(e.value, depth - 1, meter) } : e);
    return { ...v, entries };
  }
  if (v.k === 'config' && depth > 1) return unknown(v.r, 'a copied MixVarGENetConfig');
  return v;
}

/** Python-like rendering of a value, for messages. */
export function show(v: Value | undefined, depth = 0): string {
  if (!v) return '?';
  switch (v.k) {
    case 'int':
      return String(v.v);
    case 'float':
      return Number.isInteger(v.v) ? v.v.toFixed(1) : String(v.v);
    case 'str':
      return JSON.stringify(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
    case 'tuple': {
      if (depth > 2) return v.k === 'list' ? '[…]' : '(…)';
      const inner = v.items.slice(0, 8).map((i) => show(i, depth + 1)).join(', ') + (v.items.length > 8 ? ', …' : '');
      return v.k === 'list' ? `[${inner}]` : v.items.length === 1 ? `(${inner},)` : `(${inner})`;
    }
    case 'dict':
      return 'dict(…)';
    case 'config':
      return 'MixVarGENetConfig(…)';
    case 'func':
      return `<function ${v.name}>`;
    case 'builtin':
      return `<built-in ${v.name}>`;
    case 'ref':
      return v.path.join('.');
    case 'tensor':
      return `tensor(${v.shape.map((s) => show(s, depth + 1)).join(', ')})`;
    case 'range':
      return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    case 'iter':
      return '<iterator>';
    case 'unknown':
      return '<unknown>';
  }
}

/** Python type name of a value, for messages. */
export function typeName(v: Value): string {
  switch (v.k) {
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'str':
      return 'str';
    case 'bool':
      return 'bool';
    case 'none':
      return 'NoneType';
    case 'list':
      return 'list';
    case 'tuple':
      return 'tuple';
    case 'dict':
      return 'dict';
    case 'config':
      return 'MixVarGENetConfig';
    case 'func':
    case 'builtin':
      return 'function';
    case 'tensor':
      return 'Tensor';
    case 'range':
      return 'range';
    case 'iter':
      return 'iterator';
    default:
      return 'unknown';
  }
}
