/** Values the static evaluator produces. Every value remembers where it was written. */
import type { Range } from '../text';
import type { PNode } from './parse';

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
  | (Base & { k: 'unknown'; why: string });

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

/** The longest list, tuple or str the evaluator builds; longer ones are unknown. */
export const MAX_SEQ = 100_000;

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

export function unknown(r: Range, why: string): Value {
  return { k: 'unknown', r, why };
}

export function isNumber(v: Value | undefined): v is Base & { k: 'int' | 'float'; v: number } {
  return !!v && (v.k === 'int' || v.k === 'float');
}

export function isSeq(v: Value | undefined): v is Base & { k: 'list' | 'tuple'; items: Value[] } {
  return !!v && (v.k === 'list' || v.k === 'tuple');
}

/**
 * A copy of a list/dict: new storage, so changes to the copy do not reach the original (lists and
 * dicts share their items array / entries map with every alias). Deep for depth > 1.
 */
export function clone(v: Value, depth: number): Value {
  if (depth <= 0) return v;
  if (v.k === 'list') return { ...v, items: v.items.map((i) => clone(i, depth - 1)) };
  if (v.k === 'tuple' && depth > 1) return { ...v, items: v.items.map((i) => clone(i, depth - 1)) };
  if (v.k === 'dict') {
    const entries = new Map<string, DictEntry>();
    for (const [k, e] of v.entries) entries.set(k, depth > 1 ? { ...e, value: clone(e.value, depth - 1) } : e);
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
    default:
      return 'unknown';
  }
}
