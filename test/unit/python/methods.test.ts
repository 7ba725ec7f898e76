import { strict as assert } from 'node:assert';
import { augmentListInPlace, callReadingMethod, mutate } from '../../../extension/core/python/methods';
import type { CallArgs, Value } from '../../../extension/core/python/values';

const R = { start: 0, end: 0 };
const int = (v: number): Value => ({ k: 'int', v, r: R });
const str = (v: string): Value => ({ k: 'str', v, r: R });
const args = (pos: Value[], kw: Record<string, Value> = {}): CallArgs => ({
  pos,
  posNodes: [],
  kw: new Map(Object.entries(kw).map(([k, value]) => [k, { value, nameRange: R, argRange: R }])),
  kwOrder: [],
  opaque: false,
  errorArgs: 0,
});
const list = (...items: Value[]) => ({ k: 'list' as const, items, r: R });
const vs = (items: Value[]) => items.map((i) => ('v' in i ? i.v : i.k));

// Expected values are what CPython 3 gives for the same calls.
describe('Python methods on values (methods.ts)', () => {
  it('list methods change the shared items array', () => {
    const l = list(int(3), int(1), int(2));
    const alias = l.items;
    assert.equal(mutate(l, 'append', args([int(5)]), R)?.k, 'none');
    assert.deepEqual(vs([mutate(l, 'pop', args([int(0)]), R)!]), [3]);
    mutate(l, 'sort', args([], { reverse: { k: 'bool', v: true, r: R } }), R);
    assert.deepEqual(vs(alias), [5, 2, 1]);
    assert.equal(mutate(l, 'remove', args([int(9)]), R), undefined, 'remove of a missing item raises ValueError');
    assert.equal(mutate(l, 'sort', args([], { key: int(1) }), R), undefined, 'sort(key=...) is not followed');
  });

  it('dict methods', () => {
    const d = { k: 'dict' as const, entries: new Map(), complete: true, r: R, node: R };
    mutate(d, 'update', args([], { a: int(1) }), R);
    assert.deepEqual(vs([mutate(d, 'setdefault', args([str('b'), int(2)]), R)!]), [2]);
    assert.deepEqual(vs([mutate(d, 'setdefault', args([str('a'), int(9)]), R)!]), [1]);
    assert.deepEqual(vs([mutate(d, 'pop', args([str('a')]), R)!]), [1]);
    assert.deepEqual([...d.entries.keys()], ['b']);
  });

  it('+= and *= on a list, in place', () => {
    const items = [int(1)];
    assert.ok(augmentListInPlace(items, '+', str('ab')));
    assert.ok(augmentListInPlace(items, '*', int(2)));
    assert.deepEqual(vs(items), [1, 'a', 'b', 1, 'a', 'b']);
    assert.equal(augmentListInPlace(items, '+', int(1)), false);
  });

  it('methods that only read', () => {
    const live = (v: Value) => v;
    assert.deepEqual(vs([callReadingMethod(str('a{}'), 'format', args([int(1)]), R, live)!]), ['a1']);
    assert.deepEqual(vs([callReadingMethod(str('aB'), 'upper', args([]), R, live)!]), ['AB']);
    const l = list(int(1));
    const c = callReadingMethod(l, 'copy', args([]), R, live) as Value & { items: Value[] };
    assert.notEqual(c.items, l.items);
    assert.equal(callReadingMethod(str('x'), 'strip', args([]), R, live), undefined);
  });
});
