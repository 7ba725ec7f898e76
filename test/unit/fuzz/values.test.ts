/**
 * Every exact value the static evaluator gives is the value Python gives: thousands of generated
 * modules (pygen.ts) are run by /usr/bin/python3 itself, all in one process
 * (test/fixtures/python-values/run.py), and by the evaluator; every name the evaluator knows must
 * have Python's value (same type; floats by repr, so -0.0 and the last digit count). A value the
 * evaluator reports unknown is fine; a wrong exact value is a failure.
 *
 * Python runs a module's statements until the first that raises; the evaluator gets the same
 * statements before it, and where the one that raised assigns a name, the evaluator must not know
 * that name (Python has no value for it). A statement that ran out of time or memory in Python is no
 * evidence either way.
 *
 * Deterministic (a seeded generator). To reproduce a failure, its message shows the module; a deeper
 * local search: MVG_FUZZ_SEED=<n> MVG_VALUE_MODULES=<count> npx mocha out/test/unit/fuzz/values.test.js
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { evaluateModule } from '../../../extension/core/python/evaluate';
import { pyFloatRepr } from '../../../extension/core/python/numbers';
import { parsePython, walk } from '../../../extension/core/python/parse';
import { pyLen } from '../../../extension/core/python/strings';
import type { Value } from '../../../extension/core/python/values';
import { requireOrSkip } from '../../requires';
import { ModuleGen, Rng } from './pygen';

const PYTHON = '/usr/bin/python3';
const RUNNER = path.join(__dirname, '../../../../test/fixtures/python-values/run.py');
const MODULES = Number(process.env.MVG_VALUE_MODULES) || 6000;
const SEED = Number(process.env.MVG_FUZZ_SEED) || 0x707976; // "pyv"

/** A value as run.py encodes it. */
type Py =
  | { i: string }
  | { f: string }
  | { s: string }
  | { b: boolean }
  | { n: 1 }
  | { l: Py[] }
  | { t: Py[] }
  | { d: [string, Py][] }
  | { r: [number, number, number] }
  | { o: string; len?: number };

interface PyResult {
  failed: number;
  error: string | null;
  names: Record<string, Py>;
}

/** Why `v` is not Python's `p` (undefined: it is, or v is not known). */
function mismatch(v: Value, p: Py, at: string): string | undefined {
  const want = JSON.stringify(p);
  const bad = (what: string) => `${at}: the evaluator says ${what}, Python says ${want.length > 200 ? want.slice(0, 200) + '…' : want}`;
  if ('o' in p && p.o === 'deep') return undefined;
  switch (v.k) {
    case 'unknown':
    case 'func':
    case 'builtin':
    case 'ref':
    case 'tensor':
    case 'config':
      return undefined;
    case 'int':
      return 'i' in p && p.i === String(v.v) ? undefined : bad(`int ${v.v}`);
    case 'float':
      return 'f' in p && p.f === pyFloatRepr(v.v) ? undefined : bad(`float ${pyFloatRepr(v.v)}`);
    case 'bool':
      return 'b' in p && p.b === v.v ? undefined : bad(`bool ${v.v}`);
    case 'none':
      return 'n' in p ? undefined : bad('None');
    case 'str':
      if ('o' in p && p.o === 'str') return p.len === pyLen(v.v) ? undefined : bad(`a str of ${pyLen(v.v)} characters`);
      return 's' in p && p.s === v.v ? undefined : bad(`str ${JSON.stringify(v.v)}`);
    case 'list':
    case 'tuple': {
      const items = v.k === 'list' ? ('l' in p ? p.l : undefined) : 't' in p ? p.t : undefined;
      if ('o' in p && p.o === v.k) return p.len === v.items.length ? undefined : bad(`a ${v.k} of ${v.items.length} items`);
      if (!items) return bad(`a ${v.k}`);
      if (items.length !== v.items.length) return bad(`a ${v.k} of ${v.items.length} items`);
      for (let i = 0; i < items.length; i++) {
        const m = mismatch(v.items[i], items[i], `${at}[${i}]`);
        if (m) return m;
      }
      return undefined;
    }
    case 'dict': {
      if (!('d' in p)) return v.complete ? bad('a dict with str keys') : undefined;
      const py = new Map(p.d);
      if (v.complete && JSON.stringify([...v.entries.keys()]) !== JSON.stringify([...py.keys()])) return bad(`a dict with keys ${JSON.stringify([...v.entries.keys()])}`);
      for (const [k, e] of v.entries) {
        const pv = py.get(k);
        if (!pv) return bad(`a dict with key '${k}'`);
        const m = mismatch(e.value, pv, `${at}['${k}']`);
        if (m) return m;
      }
      return undefined;
    }
    case 'range':
      return 'r' in p && p.r.join() === [v.start, v.stop, v.step].join() ? undefined : bad(`range(${v.start}, ${v.stop}, ${v.step})`);
    case 'iter':
      return 'o' in p && /iterator|reversed/.test(p.o) ? undefined : bad('an iterator');
  }
}

/** Exceptions that say nothing about the value: a syntax Python versions disagree on (f-strings), or this machine's limits. */
const NO_EVIDENCE = new Set(['SyntaxError', 'Timeout', 'MemoryError', 'RecursionError']);

/** The expression node types whose text is a Python expression on its own. */
const EXPRESSIONS = new Set([
  'BinaryExpression', 'UnaryExpression', 'CallExpression', 'MemberExpression', 'ArrayExpression', 'TupleExpression', 'DictionaryExpression',
  'ParenthesizedExpression', 'ConditionalExpression', 'FormatString', 'ArrayComprehensionExpression', 'ComprehensionExpression', 'VariableName',
]);

/** The text of every proper sub-expression of an expression. */
function subExpressions(expr: string): string[] {
  const p = parsePython(`__e = ${expr}\n`);
  const whole = { from: 6, to: 6 + expr.length };
  const out: string[] = [];
  for (const st of p.statements) walk(st, (n) => {
    if (EXPRESSIONS.has(n.type) && n.from >= whole.from && !(n.from === whole.from && n.to === whole.to)) out.push(p.text.slice(n.from, n.to));
  });
  return out;
}

/** The names a prefix of a module leaves bound, as the evaluator has them. */
function evaluate(stmts: string[]): Map<string, Value> {
  return evaluateModule(parsePython(stmts.join('\n') + '\n')).env;
}

function pythonAvailable(): boolean {
  return spawnSync(PYTHON, ['--version']).status === 0;
}

describe('values: every exact value the evaluator gives is the one Python gives', function () {
  this.timeout(180_000);
  let modules: string[][] = [];
  let results: PyResult[] = [];

  before(function () {
    requireOrSkip(this, pythonAvailable(), '/usr/bin/python3', 'apt-get install python3');
    const rng = new Rng(SEED);
    modules = Array.from({ length: MODULES }, () => new ModuleGen(rng).module());
    const r = spawnSync(PYTHON, [RUNNER], { input: JSON.stringify(modules), encoding: 'utf8', maxBuffer: 1 << 28, timeout: 150_000 });
    assert.equal(r.status, 0, `run.py failed: ${r.stderr}`);
    results = JSON.parse(r.stdout) as PyResult[];
    assert.equal(results.length, modules.length);
  });

  it(`${MODULES} generated modules: the names the evaluator knows have Python's values`, () => {
    const failures: string[] = [];
    let compared = 0;
    let known = 0;
    let refusals = 0;
    modules.forEach((stmts, i) => {
      const py = results[i];
      const ran = py.failed < 0 ? stmts : stmts.slice(0, py.failed);
      const env = evaluate(ran);
      for (const [name, v] of env) {
        const p = py.names[name];
        compared++;
        if (v.k !== 'unknown') known++;
        if (!p) {
          if (v.k !== 'unknown' && v.k !== 'func' && v.k !== 'builtin' && v.k !== 'ref') failures.push(`module ${i}: ${name} is not bound in Python, the evaluator says ${v.k}`);
          continue;
        }
        const m = mismatch(v, p, name);
        if (m) failures.push(`module ${i}: ${m}`);
      }
      // The statement that raised, when it assigns a name and every part of its expression is known
      // to the evaluator (a part it does not know may be what raises): the name must not be known.
      const raised = py.failed >= 0 ? stmts[py.failed] : undefined;
      // (Not with a comprehension: its variables are not the module's names a probe would see.)
      const target = raised && /^(v\d+) = ([^\n]*)$/.exec(raised);
      if (target && !NO_EVIDENCE.has(py.error ?? '') && !(target[1] in py.names) && !/\bfor\b|\blambda\b/.test(target[2])) {
        const probes = subExpressions(target[2]).map((e, j) => `__p${j} = ${e}`);
        const env = evaluate([...ran, ...probes, raised]);
        const v = env.get(target[1]);
        if (v && probes.every((_p, j) => env.get(`__p${j}`)?.k !== 'unknown')) {
          refusals++;
          if (v.k !== 'unknown') failures.push(`module ${i}: Python raises ${py.error} in \`${raised}\`, the evaluator says ${v.k} ${'v' in v ? JSON.stringify(v.v) : ''}`);
        }
      }
      if (failures.length > 0 && failures.length <= 5 && failures[failures.length - 1].startsWith(`module ${i}:`)) failures.push(`  module ${i}:\n    ${stmts.join('\n').replace(/\n/g, '\n    ')}`);
    });
    // The fuzz is not vacuous: most names are compared with a known value.
    assert.ok(known > compared / 3, `only ${known} of ${compared} names were known`);
    assert.ok(refusals > MODULES / 50, `only ${refusals} statements that raise were checked`);
    assert.deepEqual(failures.slice(0, 40), [], `${failures.length} wrong values (of ${known} known)`);
  });
});
