/**
 * Number, count, shape, percent, time and plural formatting: the one place for it. The CLI, the
 * editor features, the rule messages and the graph webview (bundled from here) all format with
 * these. Pure: no Node, no DOM, no vscode.
 *
 * Unknown values (null, undefined, NaN, ±Infinity) print as "?" unless a function says otherwise.
 */

type Num = number | null | undefined;

function known(n: Num): n is number {
  return n !== null && n !== undefined && Number.isFinite(n);
}

/** 2310744 → "2,310,744"; a fraction is kept as it is (1234.5 → "1,234.5"). */
export function thousands(n: Num): string {
  if (!known(n)) return '?';
  const [int, frac] = Math.abs(n).toString().split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 ? '-' : '') + grouped + (frac ? `.${frac}` : '');
}

const SI: readonly (readonly [number, string])[] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** Three significant digits: 2.31, 12.3, 123. */
function sig3(v: number): string {
  const a = Math.abs(v);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/** "2.00" → "2", "1.20" → "1.2". */
function trimZeros(s: string): string {
  return s.replace(/\.0+$|(\.\d*[1-9])0+$/, '$1');
}

export interface CompactOptions {
  /** Drop trailing zeros: "2M" rather than "2.00M" (the graph's labels). */
  trimZeros?: boolean;
}

/**
 * A number as three significant digits and an SI prefix: 2310744 → ["2.31", "M"], 999 → ["999", ""].
 * A value that rounds up to the next prefix takes it: 999999 → ["1.00", "M"], not "1000K".
 */
export function siParts(n: number, opts: CompactOptions = {}): [string, string] {
  const fit = opts.trimZeros ? trimZeros : (s: string) => s;
  const abs = Math.abs(n);
  for (const [scale, prefix] of SI) if (abs >= scale * 0.9995) return [fit(sig3(n / scale)), prefix];
  return [Number.isInteger(n) ? String(n) : fit(sig3(n)), ''];
}

/** 2310744 → "2.31M", 12345 → "12.3K", 999 → "999" (see siParts). */
export function compact(n: Num, opts: CompactOptions = {}): string {
  if (!known(n)) return '?';
  const [v, prefix] = siParts(n, opts);
  return v + prefix;
}

/** Parameters in a sentence: "2.31M params". */
export function fmtParams(n: Num): string {
  return known(n) ? `${compact(n)} params` : '? params';
}

/** MACs in a sentence: 1033746432 → "1.03 GMAC", 58000 → "58.0 KMAC". */
export function fmtMacs(n: Num): string {
  if (!known(n)) return '? MAC';
  const [v, prefix] = siParts(n);
  return `${v} ${prefix}MAC`;
}

/** Exact with the short form after it (CLI totals): "2,310,744 (2.31M)"; below 1000 the digits alone. */
export function fmtCountLong(n: Num): string {
  if (!known(n)) return '?';
  return n >= 1000 ? `${thousands(n)} (${compact(n)})` : thousands(n);
}

/** MACs exact with the short form after it (CLI, under a "MACs" label): "1,033,746,432 (1.03 G)". */
export function fmtMacsLong(n: Num): string {
  if (!known(n)) return '?';
  if (n < 1000) return thousands(n);
  const [v, prefix] = siParts(n);
  return `${thousands(n)} (${v} ${prefix})`;
}

/** Bytes in decimal units (as the core's totals): "12.3 MB", "512 B". */
export function fmtBytes(n: Num): string {
  if (!known(n)) return '?';
  const a = Math.abs(n);
  if (a >= 1e9) return `${trimZeros(sig3(n / 1e9))} GB`;
  if (a >= 1e6) return `${trimZeros(sig3(n / 1e6))} MB`;
  if (a >= 1e3) return `${trimZeros(sig3(n / 1e3))} KB`;
  return `${Math.round(n)} B`;
}

/** Milliseconds: "0.56 ms", "12.4 ms", "1.20 s". */
export function fmtMs(n: Num): string {
  if (!known(n)) return '?';
  if (Math.abs(n) >= 1000) return `${(n / 1000).toFixed(2)} s`;
  return `${trimZeros(sig3(n))} ms`;
}

/** A measured time's figure in ms, two decimals below 10 and one above: 0.41, 3.57, 59.7 (editor decorations, lenses, notifications, the summary). */
export function msFigure(ms: number): string {
  return ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** A tensor shape, C×H×W (or N×C×H×W): [64, 28, 28] → "64×28×28"; none → "?". */
export function fmtShape(s: readonly number[] | null | undefined): string {
  return s && s.length ? s.join('×') : '?';
}

/** `part` of `whole` as a percentage with `digits` decimals, fewer (`bigDigits`) from 10% up. */
function percentOf(part: number, whole: number, digits: number, bigDigits = digits): string {
  const p = (100 * part) / whole;
  return `${p.toFixed(p >= 10 ? bigDigits : digits)}%`;
}

/** A share of a total in a column (CLI): one decimal, "<0.1%" for a sliver; unknown or no total → "?". */
export function fmtPercent(part: Num, total: Num): string {
  if (!known(part) || !known(total) || total === 0) return '?';
  const p = (100 * part) / total;
  if (p > 0 && p < 0.05) return '<0.1%';
  return percentOf(part, total, 1);
}

/** A share in the editor's tables and hovers: "24%", "1.5%"; unknown → "–". */
export function pct(part: Num, whole: Num): string {
  if (!known(part) || !known(whole) || whole === 0) return '–';
  return percentOf(part, whole, 1, 0);
}

/** A share given as 0..1 (the graph): 0.2357 → "23.6%", 0.0146 → "1.46%". */
export function fmtShare(x: Num): string {
  if (!known(x)) return '?';
  return percentOf(x, 1, 2, 1);
}

/** "1 file", "2 files", plural(3, 'info', 'infos'). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A change in a count, signed and compact: 120000 → "+120K", -35000000 → "−35M", 0 → "±0"; unknown → "?". */
export function fmtDelta(n: Num): string {
  if (!known(n)) return '?';
  if (n === 0) return '±0';
  return `${n > 0 ? '+' : '−'}${compact(Math.abs(n), { trimZeros: true })}`;
}

/** A change in milliseconds, signed: 1.234 → "+1.23 ms", -0.5 → "−0.50 ms" (two decimals below 10 ms, one above). */
export function fmtMsDelta(n: Num): string {
  if (!known(n)) return '?';
  if (n === 0) return '±0 ms';
  return `${n > 0 ? '+' : '−'}${msFigure(Math.abs(n))} ms`;
}
