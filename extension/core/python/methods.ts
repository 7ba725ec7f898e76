/**
 * Python's methods on str, list and dict values. Most list and dict methods change their receiver
 * IN PLACE (append, extend, insert, pop, remove, clear, reverse, sort, update, setdefault), as does
 * `list += iterable` / `list *= n`: the change lands in the items array / entries map that every
 * alias of the object shares, so names, arguments and containers holding it all see it. A change
 * that cannot be followed returns undefined; the evaluator then marks the object unknown (see
 * aliases.ts). The methods that only read (str.format/upper/lower, copy, dict.get) build new values.
 */
import type { Range } from '../text';
import { CHARS_PER_UNIT, ENTRY_BYTES, type Meter, UNMETERED } from './budget';
import { sortValues } from './builtins';
import { isScalar, iterItems, scalarEq } from './operators';
import { formatBraces } from './strings';
import { type CallArgs, clone, isNumber, MAX_SEQ, type Value } from './values';

/** Methods that change a list, dict or set in place. */
export const MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'reverse', 'sort', 'update', 'setdefault', 'popitem', 'add', 'discard', 'difference_update', 'intersection_update']);

/**
 * Follow a method that changes a list/dict in place; its result (None, or the popped item), or
 * undefined when it cannot be followed (the caller then marks the object unknown).
 */
export function mutate(o: Value & { k: 'list' | 'dict' }, m: string, args: CallArgs, R: Range, meter: Meter = UNMETERED): Value | undefined {
  return o.k === 'list' ? mutateList(o.items, m, args, R, meter) : mutateDict(o, m, args, R, meter);
}

function mutateList(items: Value[], m: string, args: CallArgs, R: Range, meter: Meter): Value | undefined {
  const a = args.pos;
  const none: Value = { k: 'none', r: R };
  const noKw = args.kw.size === 0;
  switch (m) {
    case 'append':
      if (a.length !== 1 || !noKw || items.length >= MAX_SEQ) return undefined;
      meter.slots(1);
      items.push(a[0]);
      return none;
    case 'extend': {
      const add = a.length === 1 && noKw ? iterItems(a[0], meter) : undefined;
      if (!add || items.length + add.length > MAX_SEQ) return undefined;
      for (const x of add) items.push(x);
      return none;
    }
    case 'insert': {
      if (a.length !== 2 || !noKw || a[0].k !== 'int' || items.length >= MAX_SEQ) return undefined;
      meter.scan(items.length);
      // Python clamps the index: below -len to 0, past the end to len.
      const n = a[0].v;
      const i = n < 0 ? Math.max(0, items.length + n) : Math.min(items.length, n);
      items.splice(i, 0, a[1]);
      return none;
    }
    case 'pop': {
      if (a.length > 1 || !noKw || (a[0] && a[0].k !== 'int')) return undefined;
      const n = a[0] && a[0].k === 'int' ? a[0].v : -1;
      const i = n < 0 ? items.length + n : n;
      if (i < 0 || i >= items.length) return undefined;
      meter.scan(items.length - i);
      return items.splice(i, 1)[0];
    }
    case 'remove': {
      if (a.length !== 1 || !noKw) return undefined;
      meter.scan(items.length);
      for (let i = 0; i < items.length; i++) {
        if (scalarEq(items[i], a[0])) {
          items.splice(i, 1);
          return none;
        }
        if (!isScalar(items[i]) || !isScalar(a[0])) return undefined;
      }
      return undefined;
    }
    case 'clear':
      if (a.length || !noKw) return undefined;
      items.length = 0;
      return none;
    case 'reverse':
      if (a.length || !noKw) return undefined;
      meter.scan(items.length);
      items.reverse();
      return none;
    case 'sort': {
      if (a.length || [...args.kw.keys()].some((k) => k !== 'reverse')) return undefined;
      const rev = args.kw.get('reverse')?.value;
      if (rev && rev.k !== 'bool' && rev.k !== 'int') return undefined;
      const nums = items.every((i) => isNumber(i) || i.k === 'bool');
      if (!nums && !items.every((i) => i.k === 'str')) return undefined;
      if (nums && items.some((i) => i.k !== 'bool' && Number.isNaN((i as { v: number }).v))) return undefined;
      meter.sort(items.length);
      // A stable sort, like Python's; reverse=True keeps equal items in their order too.
      sortValues(items, !!rev && Number((rev as { v: number | boolean }).v) !== 0);
      return none;
    }
    default:
      return undefined;
  }
}

function mutateDict(o: Value & { k: 'dict' }, m: string, args: CallArgs, R: Range, meter: Meter): Value | undefined {
  const a = args.pos;
  const none: Value = { k: 'none', r: R };
  const noKw = args.kw.size === 0;
  const entries = o.entries;
  switch (m) {
    case 'update': {
      if (a.length > 1) return undefined;
      const src = a[0];
      if (src && src.k !== 'dict') return undefined;
      if (src && !src.complete) return undefined;
      meter.charge(1 + ((src?.entries.size ?? 0) + args.kw.size) / 4, ((src?.entries.size ?? 0) + args.kw.size) * ENTRY_BYTES);
      if (src) for (const [k, v] of src.entries) entries.set(k, v);
      for (const [k, v] of args.kw) entries.set(k, { value: v.value, keyRange: v.nameRange, itemRange: v.argRange });
      return none;
    }
    case 'pop': {
      if (!noKw || a.length < 1 || a.length > 2 || a[0].k !== 'str') return undefined;
      const e = entries.get(a[0].v);
      if (e) {
        entries.delete(a[0].v);
        return e.value;
      }
      return a.length === 2 && o.complete ? a[1] : undefined;
    }
    case 'setdefault': {
      if (!noKw || a.length < 1 || a.length > 2 || a[0].k !== 'str') return undefined;
      const e = entries.get(a[0].v);
      if (e) return e.value;
      if (!o.complete) return undefined;
      const v = a[1] ?? none;
      entries.set(a[0].v, { value: v, keyRange: a[0].r, itemRange: R });
      return v;
    }
    case 'clear':
      if (a.length || !noKw || !o.complete) return undefined;
      entries.clear();
      return none;
    default:
      return undefined;
  }
}

/** `list += iterable` / `list *= n`, in place; false when it cannot be followed. */
export function augmentListInPlace(items: Value[], op: '+' | '*', rhs: Value, meter: Meter = UNMETERED): boolean {
  const add = op === '+' ? iterItems(rhs, meter) : undefined;
  const times = op === '*' && (rhs.k === 'int' || rhs.k === 'bool') ? Math.max(0, Number(rhs.v)) : undefined;
  if (add && items.length + add.length <= MAX_SEQ) for (const x of add) items.push(x);
  else if (times !== undefined && items.length * times <= MAX_SEQ) {
    meter.slots(items.length * times);
    const once = items.slice();
    items.length = 0;
    if (once.length > 0) for (let i = 0; i < times; i++) for (const x of once) items.push(x);
  } else return false;
  return true;
}

/**
 * A method that does not change its receiver: str.format, str.upper/lower, list/dict.copy, dict.get
 * (`live` gives the current value of a stored item); undefined when its result cannot be known.
 */
export function callReadingMethod(o: Value, m: string, args: CallArgs, R: Range, live: (v: Value) => Value, meter: Meter = UNMETERED): Value | undefined {
  if (args.opaque || args.errorArgs > 0) return undefined;
  if (o.k === 'str' && m === 'format') {
    meter.scan(o.v.length, CHARS_PER_UNIT);
    const out = formatBraces(o.v, args.pos, args.kw);
    if (out !== undefined) {
      meter.chars(out.length);
      return { k: 'str', v: out, r: R };
    }
  }
  if (o.k === 'str' && (m === 'upper' || m === 'lower') && args.pos.length === 0 && args.kw.size === 0) {
    meter.chars(o.v.length * 2);
    return { k: 'str', v: m === 'upper' ? o.v.toUpperCase() : o.v.toLowerCase(), r: R };
  }
  if ((o.k === 'list' || o.k === 'dict') && m === 'copy' && args.pos.length === 0 && args.kw.size === 0) return { ...clone(o, 1, meter), r: R };
  if (o.k === 'dict' && m === 'get' && args.pos[0]?.k === 'str' && args.pos.length <= 2 && args.kw.size === 0) {
    const e = o.entries.get(args.pos[0].v);
    if (e) return live(e.value);
    if (o.complete) return args.pos[1] ?? { k: 'none', r: R };
  }
  return undefined;
}
