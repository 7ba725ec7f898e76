import { strict as assert } from 'node:assert';
import {
  compact,
  fmtBytes,
  fmtCountLong,
  fmtMacs,
  fmtMacsLong,
  fmtMs,
  fmtParams,
  fmtPercent,
  fmtShape,
  fmtShare,
  pct,
  plural,
  siParts,
  thousands,
} from '../../extension/core/format';
import { msFigure } from '../../extension/core/format';

// extension/core/format.ts: the one module for numbers, counts, shapes, percentages, times and plurals.
describe('core/format', () => {
  it('groups digits by thousands, keeping signs and fractions as they are', () => {
    assert.equal(thousands(2310744), '2,310,744');
    assert.equal(thousands(999), '999');
    assert.equal(thousands(0), '0');
    assert.equal(thousands(-1234567), '-1,234,567');
    assert.equal(thousands(1234.5), '1,234.5');
    assert.equal(thousands(1033746432), (1033746432).toLocaleString('en-US'));
    assert.equal(thousands(null), '?');
    assert.equal(thousands(undefined), '?');
    assert.equal(thousands(Number.NaN), '?');
  });

  it('writes three significant digits with an SI prefix, carrying into the next prefix', () => {
    assert.equal(compact(999), '999');
    assert.equal(compact(1000), '1.00K');
    assert.equal(compact(12_345), '12.3K');
    assert.equal(compact(153_376), '153K');
    assert.equal(compact(2_310_744), '2.31M');
    assert.equal(compact(991_907_392), '992M');
    assert.equal(compact(1_033_746_432), '1.03G');
    assert.equal(compact(2e12), '2.00T');
    assert.equal(compact(999_999), '1.00M');
    assert.equal(compact(-12_345), '-12.3K');
    assert.equal(compact(12.345), '12.3');
    assert.equal(compact(null), '?');
    assert.equal(compact(Number.POSITIVE_INFINITY), '?');
    assert.deepEqual(siParts(1_033_746_432), ['1.03', 'G']);
    assert.deepEqual(siParts(58_000), ['58.0', 'K']);
    assert.deepEqual(siParts(950), ['950', '']);
  });

  it('drops trailing zeros on request (the graph)', () => {
    assert.equal(compact(1000, { trimZeros: true }), '1K');
    assert.equal(compact(1_200_000, { trimZeros: true }), '1.2M');
    assert.equal(compact(20_768, { trimZeros: true }), '20.8K');
    assert.equal(compact(153_376, { trimZeros: true }), '153K');
    assert.equal(compact(950, { trimZeros: true }), '950');
    assert.equal(compact(1.5, { trimZeros: true }), '1.5');
  });

  it('formats parameters and MACs for sentences and for the CLI', () => {
    assert.equal(fmtParams(2_310_744), '2.31M params');
    assert.equal(fmtParams(null), '? params');
    assert.equal(fmtMacs(1_033_746_432), '1.03 GMAC');
    assert.equal(fmtMacs(58_000), '58.0 KMAC');
    assert.equal(fmtMacs(54_190_080), '54.2 MMAC');
    assert.equal(fmtMacs(999), '999 MAC');
    assert.equal(fmtMacs(null), '? MAC');
    assert.equal(fmtMacs(undefined), '? MAC');
    assert.equal(fmtCountLong(2_310_744), '2,310,744 (2.31M)');
    assert.equal(fmtCountLong(960), '960');
    assert.equal(fmtCountLong(null), '?');
    assert.equal(fmtMacsLong(1_033_746_432), '1,033,746,432 (1.03 G)');
    assert.equal(fmtMacsLong(960), '960');
    assert.equal(fmtMacsLong(null), '?');
  });

  it('formats bytes and milliseconds', () => {
    assert.equal(fmtBytes(18_895_264), '18.9 MB');
    assert.equal(fmtBytes(2_000_000_000), '2 GB');
    assert.equal(fmtBytes(1500), '1.5 KB');
    assert.equal(fmtBytes(512), '512 B');
    assert.equal(fmtBytes(null), '?');
    assert.equal(fmtMs(0.563), '0.56 ms');
    assert.equal(fmtMs(12.4), '12.4 ms');
    assert.equal(fmtMs(250), '250 ms');
    assert.equal(fmtMs(1200), '1.20 s');
    assert.equal(fmtMs(Number.NaN), '?');
  });

  it('writes shapes with ×', () => {
    assert.equal(fmtShape([64, 28, 28]), '64×28×28');
    assert.equal(fmtShape([1, 3, 224, 224]), '1×3×224×224');
    assert.equal(fmtShape([224, 224]), '224×224');
    assert.equal(fmtShape(null), '?');
    assert.equal(fmtShape(undefined), '?');
    assert.equal(fmtShape([]), '?');
  });

  it('formats shares: CLI columns, editor tables, graph', () => {
    assert.equal(fmtPercent(249, 1000), '24.9%');
    assert.equal(fmtPercent(1, 100_000), '<0.1%');
    assert.equal(fmtPercent(0, 100), '0.0%');
    assert.equal(fmtPercent(1, 0), '?');
    assert.equal(fmtPercent(null, 100), '?');
    assert.equal(pct(2357, 10_000), '24%');
    assert.equal(pct(146, 10_000), '1.5%');
    assert.equal(pct(1, 0), '–');
    assert.equal(pct(undefined, 10), '–');
    assert.equal(fmtShare(0.2357772859485647), '23.6%');
    assert.equal(fmtShare(0.0146), '1.46%');
    assert.equal(fmtShare(null), '?');
  });

  it('pluralises', () => {
    assert.equal(plural(1, 'file'), '1 file');
    assert.equal(plural(0, 'file'), '0 files');
    assert.equal(plural(2, 'info', 'infos'), '2 infos');
    assert.equal(plural(3, 'downsampled map'), '3 downsampled maps');
  });
});

describe('format: msFigure (a measured time in ms)', () => {
  it('two decimals below 10 ms, one from 10 ms on', () => {
    assert.equal(msFigure(0.4123), '0.41');
    assert.equal(msFigure(3.5), '3.50');
    assert.equal(msFigure(9.994), '9.99');
    assert.equal(msFigure(10), '10.0');
    assert.equal(msFigure(59.74), '59.7');
  });
});
