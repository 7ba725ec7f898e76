import { strict as assert } from 'node:assert';
import { decodeFStringText, decodeStringLiteral, formatBraces, pyStr } from '../../../extension/core/python/strings';
import type { Value } from '../../../extension/core/python/values';

const R = { start: 0, end: 0 };
const int = (v: number): Value => ({ k: 'int', v, r: R });
const flt = (v: number): Value => ({ k: 'float', v, r: R });
const str = (v: string): Value => ({ k: 'str', v, r: R });

// Expected values are what CPython 3 gives for the same literals and calls.
describe('Python string semantics (strings.ts)', () => {
  it('str literals: prefixes, quotes and escapes', () => {
    assert.equal(decodeStringLiteral(String.raw`'a\tb\x41\101\u00e9'`), 'a\tbAAé');
    assert.equal(decodeStringLiteral(String.raw`r'a\tb'`), String.raw`a\tb`);
    assert.equal(decodeStringLiteral(`"""x\ny"""`), 'x\ny');
    assert.equal(decodeStringLiteral(String.raw`'\q'`), String.raw`\q`);
    assert.equal(decodeStringLiteral(`b'x'`), undefined);
    assert.equal(decodeStringLiteral(String.raw`'\N{BULLET}'`), undefined);
    assert.equal(decodeStringLiteral(`'open`), undefined);
  });

  it('f-string text between fields', () => {
    assert.equal(decodeFStringText(String.raw`{{a}}\n`, false), '{a}\n');
    assert.equal(decodeFStringText(String.raw`{{a}}\n`, true), String.raw`{a}\n`);
    assert.equal(decodeFStringText(String.raw`x\N`, false), undefined);
  });

  it('str() of scalars', () => {
    assert.deepEqual([int(3), flt(2), flt(1e16), str('s'), { k: 'bool', v: true, r: R } as Value, { k: 'none', r: R } as Value].map(pyStr), ['3', '2.0', '1e+16', 's', 'True', 'None']);
    assert.equal(pyStr({ k: 'list', items: [], r: R }), undefined);
  });

  it('str.format with plain fields', () => {
    const named = new Map([['n', { value: int(7) }]]);
    assert.equal(formatBraces('{}-{}', [int(1), flt(0.5)], named), '1-0.5');
    assert.equal(formatBraces('{1}{0}{n}', [str('a'), str('b')], named), 'ba7');
    assert.equal(formatBraces('{:3d}', [int(1)], named), undefined);
    assert.equal(formatBraces('{m}', [], named), undefined);
  });
});
