/**
 * Robustness of the whole core (analyze()) against the texts an editor sends while a config is being
 * typed: random edits of every example config — deletions, insertions of Python-ish tokens, replaced
 * spans, duplicated spans, stray unicode, truncation at any point. (With values.test.ts — generated
 * modules checked against Python — and hostile.test.ts — inputs built to exhaust the budgets —
 * the fuzz suite runs over 10,000 inputs.)
 *
 * For every edited text: analyze() does not throw, no rule throws (ruleErrors is empty), every range it
 * reports (findings, their related locations and fix edits, syntax errors) lies inside the text with
 * start ≤ end, and one analysis takes less than a second.
 *
 * Deterministic: each example gets its own fast-check seed derived from its file name, so CI runs the
 * same cases every time and adding an example does not change the cases of the others. To reproduce a
 * failure, the assertion names the file and fast-check prints the edit list (apply it with applyEdits).
 * A deeper local search: MVG_FUZZ_SEED=<n> MVG_FUZZ_RUNS=<total> npx mocha out/test/unit/fuzz/robustness.test.js
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../extension/core/analyze';
import type { Target } from '../../../extension/core/extract';
import type { Range } from '../../../extension/core/text';

const EXAMPLES = path.join(__dirname, '../../../../examples/configs');
/** Random runs over all examples together (~4,000, about 8 s), split evenly; at least MIN_RUNS per example. */
const TOTAL_RUNS = Number(process.env.MVG_FUZZ_RUNS) || 4000;
const MIN_RUNS = 25;
/** Evenly spaced truncation points per example (the half-typed file), on top of the random runs. */
const CUTS = 24;
const MAX_MS = 1000;
const BASE_SEED = Number(process.env.MVG_FUZZ_SEED) || 0x6d7667; // "mvg"

/** Python-ish tokens, weighted towards what breaks a config: brackets, commas, quotes, newlines, fields. */
const TOKENS = [
  '[', ']', '(', ')', '{', '}', '[', '(', ']', ')',
  '=', ',', ',', ':', '.', '"', "'", '"""', '*', '**', '+', '-', '//', '%', '@', '\\', '#', ';',
  '0', '1', '2', '3', '7', '16', '32', '64', '-1', '0x10', '1e9', '2.5', '1_000', '10**9',
  '\n', '\n', '\r\n', '    ', '        ', '\t', ' ',
  'def ', 'if ', 'elif ', 'else:', 'for ', ' in ', 'while ', 'return ', 'lambda ', 'not ', ' and ', ' or ',
  'import ', 'from ', 'class ', 'with ', 'try:', 'except:', 'pass', 'del ', 'global ', 'yield ', 'async ', 'await ',
  'None', 'True', 'False',
  'MixVarGENetConfig(', 'MixVarGENetConfig', 'net_config', 'net_config[0][0].out_channels', 'dict(', 'model', 'backbone=',
  'in_channels=', 'out_channels=', 'head_op=', 'stack_ops=', 'stride=', 'stack_factor=', 'fusion_strides=', 'extra_downsample_num=',
  '"mixvarge_f2"', '"mixvarge_f4_gb16"', '"mixvarge_k3k3_f2"', '"mixvarge_f2_r"', '"mixvarge_f2_gb16"', '"mixvarge_bogus"', 'mixvarge_f2',
  '["mixvarge_f2"] * 3', '[4, 8]', '[16, 8]', '()', '[]', 'range(3)', 'int(32 * alpha)', 'f"{', '}"', '%s', 'torch.randn(1, 3, 224, 224)',
  'March.NASH', 'March.BAYES', 'num_classes', 'os.environ["X"]', 'unknown_name', '*args', '**kwargs',
];

export type Edit =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; tokens: string[] }
  | { kind: 'replace'; at: number; len: number; tokens: string[] }
  | { kind: 'duplicate'; at: number; len: number; to: number }
  | { kind: 'unicode'; at: number; s: string }
  | { kind: 'truncate'; at: number };

const pos = fc.nat();
const tokens = (max: number) => fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: max });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: pos, len: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: pos, tokens: tokens(6) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: pos, len: fc.integer({ min: 1, max: 40 }), tokens: tokens(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: pos, len: fc.integer({ min: 1, max: 400 }), to: pos }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unicode' as const), at: pos, s: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: pos }) },
);
const targetArb = fc.constantFrom<Target | undefined>(undefined, 'J5', 'J6', 'any');

/** Apply edits in order; positions are taken modulo the current length (+1). */
export function applyEdits(text: string, edits: Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = e.at % (t.length + 1);
    switch (e.kind) {
      case 'delete':
        t = t.slice(0, at) + t.slice(at + e.len);
        break;
      case 'insert':
        t = t.slice(0, at) + e.tokens.join('') + t.slice(at);
        break;
      case 'replace':
        t = t.slice(0, at) + e.tokens.join('') + t.slice(at + e.len);
        break;
      case 'duplicate': {
        const span = t.slice(at, at + e.len);
        const to = e.to % (t.length + 1);
        t = t.slice(0, to) + span + t.slice(to);
        break;
      }
      case 'unicode':
        t = t.slice(0, at) + e.s + t.slice(at);
        break;
      case 'truncate':
        t = t.slice(0, at);
        break;
    }
  }
  return t;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function checkRange(text: string, r: Range | undefined, what: string): void {
  assert.ok(r, `${what}: no range`);
  assert.ok(
    Number.isInteger(r.start) && Number.isInteger(r.end) && 0 <= r.start && r.start <= r.end && r.end <= text.length,
    `${what}: range ${JSON.stringify(r)} not within 0..${text.length} with start <= end`,
  );
}

/** min(wall, CPU) ms of one analysis: CPU time is not inflated by other processes on a busy machine. */
function timed(text: string, target: Target | undefined) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const a = analyze(text, { target });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { a, ms: Math.min(wall, (cpu.user + cpu.system) / 1000) };
}

/** The property every edited text must satisfy. */
function check(text: string, target: Target | undefined, label: string): void {
  let { a, ms } = timed(text, target);
  if (ms >= MAX_MS) ms = Math.min(ms, timed(text, target).ms); // one retry: a GC pause or a busy machine
  assert.ok(ms < MAX_MS, `${label}: analyze() took ${ms.toFixed(0)} ms (limit ${MAX_MS} ms) on a ${text.length}-character text`);
  assert.deepEqual(a.ruleErrors, [], `${label}: a rule threw`);
  for (const f of a.findings) {
    const what = `${label}: ${f.code} "${f.message}"`;
    assert.match(f.code, /^MVG\d{3}$/, what);
    assert.ok(typeof f.message === 'string' && f.message.length > 0, `${what}: empty message`);
    checkRange(text, f.range, what);
    for (const rel of f.related ?? []) checkRange(text, rel.range, `${what} related "${rel.message}"`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) checkRange(text, e.range, `${what} fix "${fix.title}"`);
  }
  for (const e of a.parsed.syntaxErrors) checkRange(text, e.range, `${label}: syntax error "${e.message}"`);
}

const files = fs.existsSync(EXAMPLES)
  ? fs
      .readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.py'))
      .sort()
  : [];

describe('robustness: analyze() on randomly edited example configs', function () {
  this.timeout(120_000);
  const texts = new Map<string, string>();

  before(() => {
    assert.ok(files.length > 0, `no example configs in ${EXAMPLES}`);
    for (const f of files) {
      const text = fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
      texts.set(f, text);
      analyze(text); // warm up the parser and the JIT before anything is timed
    }
  });

  it('applyEdits does what it says', () => {
    assert.equal(applyEdits('abcdef', [{ kind: 'delete', at: 1, len: 2 }]), 'adef');
    assert.equal(applyEdits('abc', [{ kind: 'insert', at: 1, tokens: ['[', '('] }]), 'a[(bc');
    assert.equal(applyEdits('abc', [{ kind: 'insert', at: 7, tokens: ['x'] }]), 'abcx', 'positions wrap modulo length + 1');
    assert.equal(applyEdits('abc', [{ kind: 'replace', at: 1, len: 1, tokens: ['X'] }]), 'aXc');
    assert.equal(applyEdits('abc', [{ kind: 'duplicate', at: 0, len: 2, to: 3 }]), 'abcab');
    assert.equal(applyEdits('abc', [{ kind: 'truncate', at: 2 }]), 'ab');
  });

  for (const f of files) {
    const runs = Math.max(MIN_RUNS, Math.ceil(TOTAL_RUNS / files.length));
    it(`${f}: ${runs} random edits never throw, never break a rule, stay in range and take < ${MAX_MS} ms`, () => {
      const text = texts.get(f)!;
      fc.assert(
        fc.property(fc.array(editArb, { minLength: 1, maxLength: 5 }), targetArb, (edits, target) => {
          check(applyEdits(text, edits), target, f);
        }),
        { seed: (BASE_SEED ^ hash(f)) | 0, numRuns: runs },
      );
    });

    it(`${f}: truncated at ${CUTS} points (the half-typed file), with and without a trailing newline`, () => {
      const text = texts.get(f)!;
      for (let i = 1; i <= CUTS; i++) {
        const at = Math.floor((text.length * i) / (CUTS + 1));
        check(text.slice(0, at), undefined, `${f} cut at ${at}`);
        check(text.slice(0, at) + '\n', 'J6', `${f} cut at ${at} + newline`);
      }
    });
  }

  it('the unedited examples and the empty text', () => {
    check('', undefined, 'empty text');
    check('\n\n', undefined, 'blank lines');
    for (const f of files) check(texts.get(f)!, undefined, f);
  });
});
