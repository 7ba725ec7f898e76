import { strict as assert } from 'node:assert';
import { binop, iterItems, sliceValue, subscriptValue, truthy, unaryOp } from '../../../extension/core/python/operators';
import type { Value } from '../../../extension/core/python/values';

const R = { start: 0, end: 0 };
const int = (v: number): Value => ({ k: 'int', v, r: R });
const flt = (v: number): Value => ({ k: 'float', v, r: R });
const str = (v: string): Value => ({ k: 'str', v, r: R });
const bool = (v: boolean): Value => ({ k: 'bool', v, r: R });
const none: Value = { k: 'none', r: R };
const list = (...items: Value[]): Value => ({ k: 'list', items, r: R });
/** [kind, value] of a scalar result, or the kind alone. */
const kv = (v: Value): unknown[] => ('v' in v ? [v.k, v.v] : 'items' in v ? [v.k, v.items.map(kv)] : [v.k]);

// Expected values are what CPython 3 gives for the same expressions.
describe('Python operators on values (operators.ts)', () => {
  it('arithmetic keeps int unless a float or / is involved; bools count as ints', () => {
    assert.deepEqual(kv(binop('+', int(2), bool(true), R)), ['int', 3]);
    assert.deepEqual(kv(binop('/', int(4), int(2), R)), ['float', 2]);
    assert.deepEqual(kv(binop('//', int(-7), int(2), R)), ['int', -4]);
    assert.deepEqual(kv(binop('%', flt(-7.5), int(2), R)), ['float', 0.5]);
    assert.deepEqual(kv(binop('**', int(2), int(-1), R)), ['float', 0.5]);
    assert.deepEqual(kv(binop('//', int(1), int(0), R)), ['unknown']);
  });

  it('strings, sequences, membership and identity', () => {
    assert.deepEqual(kv(binop('*', int(2), str('ab'), R)), ['str', 'abab']);
    assert.deepEqual(kv(binop('%', str('%d-%s'), { k: 'tuple', items: [int(3), str('x')], r: R }, R)), ['str', '3-x']);
    assert.deepEqual(kv(binop('+', list(int(1)), list(int(2)), R)), ['list', [['int', 1], ['int', 2]]]);
    assert.deepEqual(kv(binop('not in', int(3), list(int(1), flt(3)), R)), ['bool', false]);
    assert.deepEqual(kv(binop('in', int(3), list(int(1), { k: 'unknown', why: '', r: R }), R)), ['unknown']);
    assert.deepEqual(kv(binop('is not', none, int(0), R)), ['bool', true]);
    assert.deepEqual(kv(binop('is', int(1), int(1), R)), ['unknown']);
  });

  it('unary operators', () => {
    assert.deepEqual(unaryOp('-', int(3), R, true), { k: 'int', v: -3, r: R, literal: true });
    assert.deepEqual(kv(unaryOp('-', bool(true), R, false)), ['int', -1]);
    assert.deepEqual(kv(unaryOp('~', int(5), R, false)), ['int', -6]);
    assert.deepEqual(kv(unaryOp('not', str(''), R, false)), ['bool', true]);
    assert.deepEqual(kv(unaryOp('~', flt(1), R, false)), ['unknown']);
  });

  it('truth values and iteration', () => {
    assert.deepEqual([int(0), str(''), list(), none, str('x')].map(truthy), [false, false, false, false, true]);
    assert.equal(truthy({ k: 'dict', entries: new Map(), complete: false, r: R, node: R }), undefined);
    assert.deepEqual(iterItems(str('ab'))?.map(kv), [['str', 'a'], ['str', 'b']]);
    assert.equal(iterItems(int(1)), undefined);
  });

  it('indexing and slicing', () => {
    const live = (v: Value) => v;
    const l = { k: 'list' as const, items: [int(1), int(2), int(3)], r: R };
    assert.deepEqual(kv(subscriptValue(l, int(-1), R, live)), ['int', 3]);
    assert.deepEqual(kv(subscriptValue(l, int(3), R, live)), ['unknown']);
    assert.deepEqual(kv(subscriptValue(str('abc'), int(1), R, live)), ['str', 'b']);
    assert.deepEqual(kv(sliceValue(l, -2, undefined, undefined, R)), ['list', [['int', 2], ['int', 3]]]);
    assert.deepEqual(kv(sliceValue(l, 2, 1, undefined, R)), ['list', []]);
    assert.deepEqual(kv(sliceValue({ k: 'str', v: 'hello', r: R }, 1, -1, 1, R)), ['str', 'ell']);
    assert.deepEqual(kv(sliceValue(l, undefined, undefined, 2, R)), ['unknown']);
  });
});
