/**
 * Python's number semantics, on JS doubles: number literals, floor division and modulo (CPython's
 * algorithms, signed zeros included), int ** int, shifts and bitwise operators exactly, round() half to
 * even (also to n digits, on the exact binary value as CPython does), '%.<n>f' digits, float repr
 * (shortest round-trip digits), and int()/float() of a string. Pure functions of numbers and strings;
 * the evaluator wraps their results into values. Ints are exact only while they are safe integers
 * (|n| < 2**53): a result beyond that is `undefined` here and unknown to the evaluator (values.ts intValue).
 */
/** C's copysign(x, y) (the sign of y, -0 included). */
function copysign(x: number, y: number): number {
  return y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x);
}

/** Python's divmod(a, b) of two ints (safe integers, b ≠ 0): the floor quotient and the modulo with b's sign, exactly. */
export function intDivMod(a: number, b: number): [number, number] {
  const r = a % b; // exact, with a's sign
  const q = (a - r) / b; // an exact multiple of b, divided exactly
  if (r !== 0 && r < 0 !== b < 0) return [q - 1, r + b];
  return [q, r];
}

/** Python's divmod(a, b) of floats (b ≠ 0), as CPython's float_divmod computes it: floor quotient and modulo, signed zeros included. */
export function floatDivMod(vx: number, wx: number): [number, number] {
  let mod = vx % wx; // C's fmod
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1.0;
    }
  } else mod = copysign(0.0, wx);
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else floordiv = copysign(0.0, vx / wx);
  return [floordiv, mod];
}

/** Python's a // b of two numbers (ints exactly, floats as CPython). */
export function pyFloorDiv(a: number, b: number, ints = false): number {
  return ints ? intDivMod(a, b)[0] : floatDivMod(a, b)[0];
}

/** Python's a % b: the result has the sign of the divisor (ints exactly, floats as CPython). */
export function pyMod(a: number, b: number, ints = false): number {
  return ints ? intDivMod(a, b)[1] : floatDivMod(a, b)[1];
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A BigInt result as a safe integer, or undefined. */
function safe(b: bigint): number | undefined {
  return b <= SAFE && b >= -SAFE ? Number(b) : undefined;
}

/** Python's x ** y for ints with y ≥ 0, exactly; undefined beyond ±2**53. */
export function intPow(x: number, y: number): number | undefined {
  if (y === 0 || x === 1) return 1;
  if (x === 0) return 0;
  if (x === -1) return y % 2 === 0 ? 1 : -1;
  if (y * Math.log2(Math.abs(x)) > 54) return undefined;
  return safe(BigInt(x) ** BigInt(y));
}

/** The sign (-0 included), integer mantissa and power of two of a finite double: |x| = m · 2^e. */
function decompose(x: number): { neg: boolean; m: bigint; e: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = exp - 1075;
  }
  return { neg: hi >>> 31 === 1, m, e };
}

function bitLength(b: bigint): number {
  return b === 0n ? 0 : b.toString(2).length;
}

/** m · 2^k for an integer m of at most 53 bits whose product is a double (scaled in steps: never an intermediate overflow or underflow). */
function ldexp(m: number, k: number): number {
  let x = m;
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}

/**
 * The double nearest to (p / q) · 2^e2 (p ≥ 0, q > 0), ties to even, subnormals included, and
 * whether it is that value exactly; undefined on overflow.
 */
export function roundRatio(p: bigint, q: bigint, e2: number): { v: number; exact: boolean } | undefined {
  if (p === 0n) return { v: 0, exact: true };
  // Scale so the integer quotient has at least 55 bits.
  const s = 55 - (bitLength(p) - bitLength(q));
  const num = s > 0 ? p << BigInt(s) : p;
  const den = s > 0 ? q : q << BigInt(-s);
  const Q = num / den;
  const R = num % den;
  const E = e2 - s;
  const drop = Math.max(bitLength(Q) - 53, -1074 - E);
  let mant = Q >> BigInt(drop);
  const rem = Q - (mant << BigInt(drop));
  const half = 1n << BigInt(drop - 1);
  if (rem > half || (rem === half && (R !== 0n || (mant & 1n) === 1n))) mant += 1n;
  const v = ldexp(Number(mant), E + drop);
  return Number.isFinite(v) ? { v, exact: rem === 0n && R === 0n } : undefined;
}

/**
 * Python's x ** y when the result is a float (a float operand, or an int to a negative power), when
 * it is exactly a double: C's pow() then returns exactly that, whatever its last-digit errors
 * elsewhere (V8's Math.pow and glibc's pow disagree on about 1 result in 12, and neither always
 * rounds correctly). Undefined otherwise: where Python raises (0 to a negative power, overflow, a
 * negative base to a fractional power), for inf or nan, and for every result that is not exact.
 */
export function floatPow(x: number, y: number): number | undefined {
  if (y === 0 || x === 1) return 1;
  if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isInteger(y)) return undefined;
  if (x === 0) return y < 0 ? undefined : Object.is(x, -0) && Math.abs(y) % 2 === 1 ? -0 : 0;
  const { neg, m, e } = decompose(x);
  const n = Math.abs(y);
  if (n * bitLength(m) > 20000) return undefined;
  const M = m ** BigInt(n);
  const r = y > 0 ? roundRatio(M, 1n, e * n) : roundRatio(1n, M, -e * n);
  if (!r || !r.exact) return undefined;
  return neg && n % 2 === 1 ? -r.v : r.v;
}

/** math.log2(x) when it is exact (x a power of two: an integer); undefined otherwise (libm's last digit is not reproduced). */
export function exactLog2(x: number): number | undefined {
  if (!(x > 0) || !Number.isFinite(x)) return undefined;
  const { m, e } = decompose(x);
  return (m & (m - 1n)) === 0n ? e + bitLength(m) - 1 : undefined;
}

/** Python's a << b, a >> b, a & b, a | b, a ^ b, ~a for ints, exactly; undefined beyond ±2**53 (or a negative shift count). */
export function intBitOp(op: string, a: number, b: number): number | undefined {
  const small = (n: number) => n >= -(2 ** 31) && n < 2 ** 31;
  switch (op) {
    case '<<':
      if (b < 0) return undefined;
      if (a === 0) return 0;
      return b > 54 ? undefined : safe(BigInt(a) << BigInt(b));
    case '>>':
      if (b < 0) return undefined;
      if (b > 60) return a < 0 ? -1 : 0;
      return Number(BigInt(a) >> BigInt(b));
    case '&':
      return small(a) && small(b) ? a & b : safe(BigInt(a) & BigInt(b));
    case '|':
      return small(a) && small(b) ? a | b : safe(BigInt(a) | BigInt(b));
    case '^':
      return small(a) && small(b) ? a ^ b : safe(BigInt(a) ^ BigInt(b));
    case '~':
      return safe(-BigInt(a) - 1n);
    default:
      return undefined;
  }
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
  const { neg, m: mant, e } = decompose(x);
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
