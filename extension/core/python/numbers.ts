/**
 * Python's number semantics, on JS doubles: number literals, floor division and modulo with the
 * divisor's sign, round() half to even (also to n digits, on the exact binary value as CPython does),
 * '%.<n>f' digits, float repr (shortest round-trip digits), and int()/float() of a string. Pure
 * functions of numbers and strings; the evaluator wraps their results into values.
 */
/** Python's a // b (floor, not truncation). */
export function pyFloorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python's a % b: the result has the sign of the divisor. */
export function pyMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

/** Python 3 round(): half to even. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The exact decimal value of a finite double, as digits and a power of ten:
 * |x| = digits · 10^-scale (doubles are dyadic rationals, so this is exact).
 */
function exactDecimal(x: number): { neg: boolean; digits: bigint; scale: number } {
  const neg = x < 0 || Object.is(x, -0);
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return { neg, digits: mant << BigInt(e), scale: 0 };
  // mant · 2^e = mant · 5^-e / 10^-e
  return { neg, digits: mant * 5n ** BigInt(-e), scale: -e };
}

/**
 * |x| rounded to nd decimal places (nd may be negative), half to even on the EXACT binary value,
 * as CPython's round(x, nd) and '%.*f' do. Returns q with the rounded |x| = q · 10^-nd.
 */
function roundExact(x: number, nd: number): { neg: boolean; q: bigint } {
  const { neg, digits, scale } = exactDecimal(x);
  const drop = scale - nd;
  if (drop <= 0) return { neg, q: digits * 10n ** BigInt(-drop) };
  const div = 10n ** BigInt(drop);
  let q = digits / div;
  const rem2 = (digits % div) * 2n;
  if (rem2 > div || (rem2 === div && q % 2n === 1n)) q += 1n;
  return { neg, q };
}

/** Python's '%.<prec>f' of a finite float (exact value, ties to even). */
export function pyFixed(x: number, prec: number): string {
  const { neg, q } = roundExact(x, prec);
  let s = q.toString();
  if (prec > 0) {
    s = s.padStart(prec + 1, '0');
    s = s.slice(0, s.length - prec) + '.' + s.slice(s.length - prec);
  }
  return (neg ? '-' : '') + s;
}

/** Python 3 round(x, ndigits) for a float: the double nearest to the exactly rounded decimal. */
export function pyRoundDigits(x: number, nd: number): number {
  if (!Number.isFinite(x) || nd > 400) return x;
  if (nd < -400) return x < 0 || Object.is(x, -0) ? -0 : 0;
  const { neg, q } = roundExact(x, nd);
  const v = Number(`${q.toString()}e${-nd}`);
  return neg ? -v : v;
}

/** Python 3 round(n, ndigits) for an int: unchanged for ndigits >= 0, else half to even. */
export function pyRoundIntDigits(n: number, nd: number): number | undefined {
  if (nd >= 0) return n;
  if (!Number.isSafeInteger(n)) return undefined;
  if (nd < -400) return 0;
  const m = 10n ** BigInt(-nd);
  const b = BigInt(n);
  const neg = b < 0n;
  const a = neg ? -b : b;
  let q = a / m;
  const rem2 = (a % m) * 2n;
  if (rem2 > m || (rem2 === m && q % 2n === 1n)) q += 1n;
  const v = Number(q * m);
  return neg ? -v : v;
}

/** Python's repr()/str() of a float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  const decpt = exp + 1;
  const sign = x < 0 ? '-' : '';
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** A Python number literal (underscores, 0x/0o/0b ints, floats); undefined for complex (j) ones. */
export function parseNumber(text: string): { k: 'int' | 'float'; v: number } | undefined {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return { k: 'int', v: parseInt(t.slice(2), 16) };
  if (/^0[oO][0-7]+$/.test(t)) return { k: 'int', v: parseInt(t.slice(2), 8) };
  if (/^0[bB][01]+$/.test(t)) return { k: 'int', v: parseInt(t.slice(2), 2) };
  if (/^\d+$/.test(t)) return { k: 'int', v: Number(t) };
  const f = Number(t);
  if (!Number.isNaN(f)) return { k: 'float', v: f };
  return undefined;
}

/** Python's int(s) for a str in base 10 (surrounding whitespace, a sign, _ between digits); undefined otherwise. */
export function pyIntOfStr(s: string): number | undefined {
  return /^\s*[-+]?\d(?:_?\d)*\s*$/.test(s) ? parseInt(s.replace(/_/g, ''), 10) : undefined;
}

/** Python's float(s): decimal literals (with _ between digits), inf, infinity, nan; not '' or '0x10'. */
export function pyFloatOfStr(s: string): number | undefined {
  const t = s.trim();
  const m = /^([+-]?)(?:(inf|infinity)|(nan)|((?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?))$/i.exec(t);
  if (m && m[2]) return m[1] === '-' ? -Infinity : Infinity;
  if (m && m[3]) return NaN;
  if (m && m[4] && /\d/.test(m[4].replace(/[eE].*$/, ''))) return Number(t.replace(/_/g, ''));
  return undefined;
}
