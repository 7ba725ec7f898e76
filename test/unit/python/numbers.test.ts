import { strict as assert } from 'node:assert';
import {
  parseNumber,
  pyFixed,
  pyFloatOfStr,
  pyFloatRepr,
  pyFloorDiv,
  pyIntOfStr,
  pyMod,
  pyRoundDigits,
  pyRoundIntDigits,
} from '../../../extension/core/python/numbers';

// Expected values are what CPython 3 prints for the same expressions.
describe('Python number semantics (numbers.ts)', () => {
  it('// floors and % takes the sign of the divisor', () => {
    assert.deepEqual([pyFloorDiv(7, -2), pyFloorDiv(-7, 2), pyFloorDiv(7.5, 2)], [-4, -4, 3]);
    assert.deepEqual([pyMod(-7, 3), pyMod(7, -3), pyMod(-7.5, 2)], [2, -2, 0.5]);
  });

  it('round(x, n) rounds the exact binary value half to even', () => {
    assert.deepEqual([pyRoundDigits(2.675, 2), pyRoundDigits(0.125, 2)], [2.67, 0.12]);
    assert.deepEqual([1234, 1250, 1350, -1250].map((n) => pyRoundIntDigits(n, -2)), [1200, 1200, 1400, -1200]);
    assert.equal(pyRoundIntDigits(7, 3), 7);
  });

  it("'%.nf' digits", () => {
    assert.deepEqual([pyFixed(2.675, 2), pyFixed(0.5, 0), pyFixed(1.5, 0), pyFixed(-0.0005, 3)], ['2.67', '0', '2', '-0.001']);
  });

  it('float repr', () => {
    assert.deepEqual(
      [1e16, 1e-5, 0.1, 123, -0, 1.5e-4, 1e22, Infinity, NaN].map(pyFloatRepr),
      ['1e+16', '1e-05', '0.1', '123.0', '-0.0', '0.00015', '1e+22', 'inf', 'nan'],
    );
  });

  it('int() and float() of a str', () => {
    assert.equal(pyIntOfStr(' -1_000 '), -1000);
    assert.equal(pyIntOfStr('0x10'), undefined);
    assert.deepEqual([' 1_0.5e1 ', '-inf', '.5'].map(pyFloatOfStr), [105, -Infinity, 0.5]);
    assert.deepEqual(['', '0x10', '.', '1__0'].map(pyFloatOfStr), [undefined, undefined, undefined, undefined]);
  });

  it('number literals', () => {
    assert.deepEqual(parseNumber('0x_ff'), { k: 'int', v: 255 });
    assert.deepEqual(parseNumber('1_000.5'), { k: 'float', v: 1000.5 });
    assert.equal(parseNumber('2j'), undefined);
  });
});
