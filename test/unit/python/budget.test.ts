/**
 * The analysis' budgets (python/budget.ts): work charged in proportion to size, an estimate of the
 * memory values hold, a deadline; where one runs out the analysis stops at that statement (MVG017)
 * and every value from there on is unknown. Lengths and ints are exact or unknown, never capped.
 * Expected values are Python's (worked out by hand; the fuzz suite checks thousands more against
 * /usr/bin/python3 itself).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, MAX_BLOCKS } from '../../../extension/core/analyze';
import { BudgetExceeded, DEFAULT_LIMITS, Meter } from '../../../extension/core/python/budget';
import { evaluateModule, evaluateWithOrphans } from '../../../extension/core/python/evaluate';
import { parsePython } from '../../../extension/core/python/parse';
import type { Value } from '../../../extension/core/python/values';

const IMPORT = 'from hat.models.backbones.mixvargenet import MixVarGENetConfig\n';
const EXAMPLES = path.join(__dirname, '../../../../examples/configs');

/** The default budgets without the deadline: which one runs out must not depend on how busy the machine is. */
const NO_DEADLINE = { timeMs: Infinity };

function run(src: string, meter?: Meter) {
  const ev = evaluateWithOrphans(parsePython(src), meter);
  return { ev, get: (n: string): Value | undefined => ev.env.get(n) };
}

const num = (v: Value | undefined) => (v && (v.k === 'int' || v.k === 'float') ? v.v : v?.k);

/** The 1-based line of an offset. */
const lineOf = (text: string, o: number) => text.slice(0, o).split('\n').length;

describe('analysis budgets (budget.ts)', () => {
  describe('the meter', () => {
    it('throws when work, memory or time runs out, and at every charge after that', () => {
      const w = new Meter({ work: 10, memory: Infinity, timeMs: Infinity });
      w.charge(10);
      assert.throws(() => w.charge(1), (e: unknown) => e instanceof BudgetExceeded && e.kind === 'work');
      assert.throws(() => w.charge(0), (e: unknown) => e instanceof BudgetExceeded && e.kind === 'work');
      const m = new Meter({ work: Infinity, memory: 100, timeMs: Infinity });
      m.slots(12); // 96 bytes
      assert.throws(() => m.slots(1), (e: unknown) => e instanceof BudgetExceeded && e.kind === 'memory');
      const t = new Meter({ work: Infinity, memory: Infinity, timeMs: 0 }, performance.now() - 1);
      assert.throws(() => t.charge(1), (e: unknown) => e instanceof BudgetExceeded && e.kind === 'time');
      assert.equal(t.timeUp(), true);
      assert.equal(new Meter().timeUp(), false);
    });
  });

  describe('hostile families stop, or are exact, within their budgets', () => {
    it('len(range(10**6)) in a 99,999-element comprehension: the ranges are never built, the result is exact', () => {
      const text = IMPORT + 'x = [len(range(10**6)) for a in range(99999)]\ny = x[-1] + len(x)\n';
      const a = analyze(text, { limits: NO_DEADLINE });
      assert.equal(a.stopped, undefined);
      assert.equal(num(a.ev.env.get('y')), 1_000_000 + 99_999);
      assert.ok(a.used.memory < 16 * 2 ** 20, `${a.used.memory} bytes`);
    });

    it('sorted() of a 99,999-item list 99,999 times: the work budget, at that statement', () => {
      const text = IMPORT + 'before = 1\nL = list(range(99999))\nx = [sorted(L) for a in range(99999)]\nafter = 2\n';
      const a = analyze(text, { limits: NO_DEADLINE });
      assert.equal(a.stopped?.kind, 'work');
      assert.equal(lineOf(text, a.stopped.range.start), 4);
      assert.equal(num(a.ev.env.get('before')), 1);
      assert.equal(a.ev.env.get('L')?.k, 'list');
      for (const n of ['x', 'after']) assert.equal(a.ev.env.get(n)?.k, 'unknown', n);
      const f = a.findings.filter((x) => x.code === 'MVG017');
      assert.equal(f.length, 1);
      assert.equal(f[0].severity, 'warning');
      assert.match(f[0].message, /^Analysis stopped at this statement: following it takes more than 1,000,000 steps \(the work budget\)/);
      assert.equal(lineOf(text, f[0].range.start), 4);
      // The squiggle covers the statement's line; the related location is what was being evaluated.
      assert.equal(text.slice(f[0].range.start, f[0].range.end), 'x = [sorted(L) for a in range(99999)]');
      assert.equal(text.slice(f[0].related![0].range.start, f[0].related![0].range.end), 'sorted(L)');
    });

    it('.upper() of a 100,000-character str 99,999 times: the memory budget', () => {
      const text = IMPORT + 's = "a" * 100000\nx = [s.upper() for a in range(99999)]\n';
      const a = analyze(text, { limits: NO_DEADLINE });
      assert.equal(a.stopped?.kind, 'memory');
      assert.equal(lineOf(text, a.stopped.range.start), 3);
      assert.equal(num(analyze(IMPORT + 's = "a" * 100000\nn = len(s.upper())\n').ev.env.get('n')), 100_000);
      assert.match(a.findings.find((f) => f.code === 'MVG017')!.message, /more than 64 MB \(the memory budget\)/);
    });

    it('a deep copy of lists that share their items, and a function that calls itself twice per call', () => {
      const copy = IMPORT + 'import copy\na = [0] * 100\nb = [a] * 100\nc = [b] * 100\nd = [c] * 100\ne = copy.deepcopy(d)\n';
      const a = analyze(copy, { limits: NO_DEADLINE });
      assert.equal(lineOf(copy, a.stopped!.range.start), 7);
      assert.ok(a.stopped!.kind === 'work' || a.stopped!.kind === 'memory');
      const fork = IMPORT + 'def f(n):\n    return [f(n - 1), f(n - 1)] if n else 0\nx = f(30)\n';
      const b = analyze(fork, { limits: NO_DEADLINE });
      assert.equal(b.stopped?.kind, 'work');
      assert.equal(lineOf(fork, b.stopped.range.start), 4);
    });

    it('the deadline stops the evaluation at the statement it is in (a meter whose time is up)', () => {
      const text = 'a = 1\nb = 2\n';
      const meter = new Meter({ ...DEFAULT_LIMITS, timeMs: 0 }, performance.now() - 1);
      const ev = evaluateModule(parsePython(text), meter);
      assert.equal(ev.stopped?.kind, 'time');
      assert.equal(ev.stopped.range.start, 0);
      assert.equal(ev.env.get('a')?.k, 'unknown');
    });

    it('the deadline stops parsing: the statements parsed by then are kept, MVG017 says where', () => {
      const text = IMPORT + 'x = 1\n'.repeat(20000);
      const a = analyze(text, { limits: { timeMs: 1 } });
      assert.equal(a.stopped?.kind, 'time');
      assert.ok(a.stopped.phase === 'parse' || a.stopped.phase === 'evaluate');
      const f = a.findings.find((x) => x.code === 'MVG017');
      assert.ok(f, 'MVG017');
      assert.match(f.message, /longer than 0\.001 s/);
    });

    it(`a network of more than ${MAX_BLOCKS} blocks is not modelled, and says so where net_config is written`, () => {
      const stage = 'MixVarGENetConfig(in_channels=64, out_channels=64, head_op="mixvarge_f2", stack_ops=["mixvarge_f2"] * 2, stride=1)';
      const big = IMPORT + `net_config = [[${stage}] for i in range(2000)]\n`;
      const a = analyze(big, { limits: NO_DEADLINE });
      assert.equal(a.network, null);
      assert.equal(a.stopped?.kind, 'size');
      const f = a.findings.filter((x) => x.code === 'MVG017');
      assert.equal(f.length, 1);
      assert.match(f[0].message, /^Network not modelled: its network has 6,000 blocks in 2,000 stages, more than the 5,000 that are modelled/);
      assert.equal(lineOf(big, f[0].range.start), 2);
      // 1,000 such stages (3,000 blocks) are modelled.
      const ok = analyze(IMPORT + `net_config = [[${stage}] for i in range(1000)]\n`, { limits: NO_DEADLINE });
      assert.equal(ok.stopped, undefined);
      assert.equal(ok.network?.stages.length, 1000);
    });

    it('nesting deeper than Python allows (200 brackets) is one error at the 201st, and that statement is not parsed', () => {
      const ok = `x = ${'['.repeat(200)}${']'.repeat(200)}\ny = 1\n`;
      const deep = `x = ${'['.repeat(201)}${']'.repeat(201)}\ny = 1\n`;
      // Python: the first compiles, the second is "too many nested parentheses" at line 1, column 205 (checked by the fuzz suite too).
      assert.deepEqual(parsePython(ok).syntaxErrors, []);
      const p = parsePython(deep);
      assert.deepEqual(p.syntaxErrors.map((e) => e.range), [{ start: 204, end: 205 }]);
      assert.match(p.syntaxErrors[0].message, /Too many nested brackets \(Python allows 200\)/);
      const ev = evaluateWithOrphans(p);
      assert.equal(ev.env.has('x'), false, 'the statement is not parsed');
      assert.equal(num(ev.env.get('y')), 1);
      // 60,000 of them (lezer alone takes seconds on it) and an unclosed run: the same, quickly.
      for (const text of [`x = ${'('.repeat(60000)}1${')'.repeat(60000)}\ny = 1\n`, `x = ${'['.repeat(60000)}\ny = 1\n`]) {
        const t0 = performance.now();
        const q = parsePython(text);
        const ms = performance.now() - t0;
        assert.equal(q.syntaxErrors.length, 1);
        assert.equal(q.syntaxErrors[0].range.start, 204);
        assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
      }
    });

    it('no example config comes near a budget', () => {
      for (const f of fs.readdirSync(EXAMPLES).filter((x) => x.endsWith('.py'))) {
        const a = analyze(fs.readFileSync(path.join(EXAMPLES, f), 'utf8'), { limits: NO_DEADLINE });
        assert.equal(a.stopped, undefined, f);
        assert.ok(a.used.work < DEFAULT_LIMITS.work / 100, `${f}: ${a.used.work} units of work`);
        assert.ok(a.used.memory < DEFAULT_LIMITS.memory / 100, `${f}: ${a.used.memory} bytes`);
        assert.deepEqual(a.findings.filter((x) => x.code === 'MVG017'), [], f);
      }
    });
  });

  describe('lengths and ints: exact or unknown, never capped', () => {
    it('a str or list too long to build is unknown, with its length', () => {
      const { get } = run(
        [
          'a = len("a" * 10**10)',
          'b = "ab" * 10**6',
          'c = len([0, 1] * 10**9)',
          's = "ab"',
          ...Array.from({ length: 40 }, () => 's = s + s'),
          'd = len(s)',
          'L = [0]',
          ...Array.from({ length: 40 }, () => 'L = L + L'),
          'e = len(L)',
          'f = bool("x" * 10**9)',
          'g = len("😀" * 10**7)',
        ].join('\n'),
      );
      assert.equal(num(get('a')), 10_000_000_000);
      assert.equal(get('b')?.k, 'unknown');
      assert.equal(num(get('c')), 2_000_000_000);
      // Doubled past what is built: unknown from there on (the length is not carried through +).
      assert.equal(get('d')?.k, 'unknown');
      assert.equal(get('e')?.k, 'unknown');
      assert.equal(get('f')?.k, 'bool');
      assert.equal(num(get('g')), 10_000_000, 'a code point, not two UTF-16 units');
    });

    it('ints beyond ±2**53 are unknown, never rounded or infinite; below, exact', () => {
      const { get } = run(
        [
          'a = 2**10**10',
          'b = 10**400',
          'c = 2**53',
          'd = 2**52 + (2**52 - 1)',
          'e = 3**33',
          'f = 9007199254740991 + 1',
          'g = 123456789012345678901234567890',
          'h = 2**62 // 2**40',
          'i = (2**40) & (2**40 + 1)',
          'j = ~(2**40)',
          'k = -5 >> 2000',
          'l = 1 << 60',
          'm = int(1e20)',
          'n = int("99999999999999999999")',
          'o = 0x1fffffffffffff',
          'p = 0x20000000000000',
          'q = 1 << -1',
          'r = 2**-1',
        ].join('\n'),
      );
      for (const n of ['a', 'b', 'c', 'f', 'g', 'h', 'l', 'm', 'n', 'p', 'q']) assert.equal(get(n)?.k, 'unknown', n);
      assert.equal(num(get('d')), 9007199254740991);
      assert.equal(num(get('e')), 5559060566555523);
      assert.equal(num(get('i')), 2 ** 40);
      assert.equal(num(get('j')), -(2 ** 40) - 1);
      assert.equal(num(get('k')), -1);
      assert.equal(num(get('o')), 9007199254740991);
      assert.equal(get('r')?.k, 'float');
      assert.equal(num(get('r')), 0.5);
    });
  });
});
