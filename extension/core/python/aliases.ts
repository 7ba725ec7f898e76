/**
 * Which lists and dicts changed in a way the evaluator did not follow. Lists and dicts are changed
 * IN PLACE: their items array / entries map is shared by every name, argument and container holding
 * the same Python object (see methods.ts), so marking that storage ("poisoning" it) makes every alias
 * unknown at once. live() reads a value through the marks; after the run, resolver() replaces every
 * reference to a marked list/dict, nested ones too, by unknown.
 */
import { unknown, type Value } from './values';

export class AliasTracker {
  /** The reason each marked list/dict is unknown, by its items array / entries map. */
  private readonly poisoned = new WeakMap<object, string>();

  /** v, or unknown when v is a list/dict that was changed in a way that is not followed. */
  live(v: Value): Value {
    const store = v.k === 'list' || v.k === 'tuple' ? v.items : v.k === 'dict' ? v.entries : undefined;
    const why = store && this.poisoned.get(store);
    return why ? unknown(v.r, why) : v;
  }

  /** Mark a list/dict (every name and container holding it) as changed in a way that is not followed. */
  poison(v: Value | undefined, why: string): void {
    if (!v) return;
    if (v.k === 'list') this.poisoned.set(v.items, why);
    else if (v.k === 'dict') this.poisoned.set(v.entries, why);
  }

  /**
   * A function that replaces, in place, every reference to a marked list/dict inside a value (in
   * lists, tuples, dicts and config arguments) by unknown, and returns the value or its replacement.
   * Storage shared by several values is fixed once per resolver.
   */
  resolver(): (v: Value) => Value {
    const seen = new WeakSet<object>();
    const fix = (v: Value, depth: number): Value => {
      const l = this.live(v);
      if (l !== v || depth > 12) return l;
      if (v.k === 'list' || v.k === 'tuple') {
        if (seen.has(v.items)) return v;
        seen.add(v.items);
        for (let i = 0; i < v.items.length; i++) v.items[i] = fix(v.items[i], depth + 1);
      } else if (v.k === 'dict') {
        if (seen.has(v.entries)) return v;
        seen.add(v.entries);
        for (const [k, e] of v.entries) {
          const x = fix(e.value, depth + 1);
          if (x !== e.value) v.entries.set(k, { ...e, value: x });
        }
      } else if (v.k === 'config') {
        if (seen.has(v.args)) return v;
        seen.add(v.args);
        for (const [k, a] of v.args) {
          const x = fix(a.value, depth + 1);
          if (x !== a.value) v.args.set(k, { ...a, value: x });
        }
      }
      return v;
    };
    return (v) => fix(v, 0);
  }
}
