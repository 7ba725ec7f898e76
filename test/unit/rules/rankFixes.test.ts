import { strict as assert } from 'node:assert';
import { compareOutcomes, fixOutcome, rankFixes } from '../../../extension/core/rules/rankFixes';
import type { Finding, Fix, Severity } from '../../../extension/core/rules/types';

// The ranking on its own, with a stand-in for the analysis: which findings a text has is given by hand.

const finding = (code: string, start: number, severity: Severity = 'error', fixes?: Fix[]): Finding => ({
  code,
  severity,
  message: code,
  range: { start, end: start + 2 },
  fixes,
});
const fix = (title: string, start: number, end: number, newText: string, preferred?: boolean): Fix => ({ title, edits: [{ range: { start, end }, newText }], preferred });

const TEXT = 'x'.repeat(200);

describe('rankFixes: ordering quick fixes by what they leave', () => {
  it('counts an error at the edited place with another code as new, the same code there as the old one', () => {
    const before = [finding('MVG002', 10)];
    const f = fix('Set in_channels to 56', 10, 12, '56');
    assert.deepEqual(fixOutcome(TEXT, before, f, () => [finding('MVG003', 10)]), { errors: 1, newErrors: 1, warnings: 0, newWarnings: 0 });
    assert.deepEqual(fixOutcome(TEXT, before, f, () => [finding('MVG002', 10)]), { errors: 1, newErrors: 0, warnings: 0, newWarnings: 0 });
    assert.deepEqual(fixOutcome(TEXT, before, f, () => []), { errors: 0, newErrors: 0, warnings: 0, newWarnings: 0 });
  });

  it('maps findings after an edit back through it (the text grew by 2 before offset 100)', () => {
    const before = [finding('MVG006', 100), finding('MVG101', 150, 'warning')];
    const f = fix('longer', 10, 12, '1234');
    let seen = '';
    const after = fixOutcome(TEXT, before, f, (t) => {
      seen = t;
      return [finding('MVG006', 102), finding('MVG101', 152, 'warning'), finding('MVG101', 100, 'warning')];
    });
    assert.equal(seen, TEXT.slice(0, 10) + '1234' + TEXT.slice(12), 'the fix is applied to the text analysed');
    assert.deepEqual(after, { errors: 1, newErrors: 0, warnings: 2, newWarnings: 1 });
  });

  it('puts a fix that creates an error after one that does not, then fewer errors first; warnings do not reorder', () => {
    const o = (errors: number, newErrors: number, warnings = 0, newWarnings = 0) => ({ errors, newErrors, warnings, newWarnings });
    assert.ok(compareOutcomes(o(0, 0), o(1, 1)) < 0);
    assert.ok(compareOutcomes(o(3, 0), o(1, 1)) < 0, 'no new error beats fewer errors');
    assert.ok(compareOutcomes(o(1, 0), o(2, 0)) < 0);
    assert.equal(compareOutcomes(o(1, 0, 5, 5), o(1, 0, 0, 0)), 0);
  });

  it('moves "preferred" to the best fix and orders the rest; ties keep the rule’s order', () => {
    const a = fix('A (creates MVG003)', 10, 12, '56', true);
    const b = fix('B', 50, 52, '96');
    const c = fix('C', 60, 62, '64');
    const f = finding('MVG002', 10, 'error', [a, b, c]);
    const afterOf = (t: string) => (t.includes('56') ? [finding('MVG003', 10)] : []);
    rankFixes(TEXT, [f], afterOf, { maxAnalyses: 40, deadline: Infinity });
    assert.deepEqual(f.fixes!.map((x) => [x.title, !!x.preferred]), [
      ['B', true],
      ['C', false],
      ['A (creates MVG003)', false],
    ]);
  });

  it('keeps the mark where the rule put none, leaves single fixes alone, stops at the deadline, and analyses a shared fix once', () => {
    const calls: string[] = [];
    const afterOf = (t: string) => {
      calls.push(t);
      return t.includes('bad') ? [finding('MVG003', 0)] : [];
    };
    const shared = fix('shared', 0, 3, 'ok');
    const noMark = finding('MVG108', 20, 'warning', [fix('bad', 20, 22, 'bad'), fix('good', 20, 22, 'gd')]);
    const single = finding('MVG001', 30, 'error', [fix('only', 30, 32, 'bad', true)]);
    const twice = [finding('MVG006', 40, 'error', [fix('bad2', 40, 42, 'bad'), shared]), finding('MVG006', 44, 'error', [fix('bad3', 44, 46, 'bad'), shared])];
    rankFixes(TEXT, [noMark, single, ...twice], afterOf, { maxAnalyses: 40, deadline: Infinity });
    assert.deepEqual(noMark.fixes!.map((x) => [x.title, !!x.preferred]), [
      ['good', false],
      ['bad', false],
    ]);
    assert.deepEqual(single.fixes!.map((x) => x.title), ['only']);
    assert.deepEqual(twice.map((f) => f.fixes![0].title), ['shared', 'shared']);
    assert.equal(calls.filter((t) => t.startsWith('ok')).length, 1, 'the shared fix is analysed once');
    assert.equal(calls.length, 5, 'bad, good, bad2, shared, bad3');

    const late = finding('MVG002', 10, 'error', [fix('bad', 10, 12, 'bad', true), fix('good', 10, 12, 'gd')]);
    rankFixes(TEXT, [late], afterOf, { maxAnalyses: 40, deadline: performance.now() - 1 });
    assert.deepEqual(late.fixes!.map((x) => [x.title, !!x.preferred]), [
      ['bad', true],
      ['good', false],
    ], 'past the deadline nothing is analysed and the rule’s order stands');
  });

  it('analyses at most maxAnalyses texts, ranking whole findings in order', () => {
    let calls = 0;
    const afterOf = (t: string) => {
      calls++;
      return t.includes('bad') ? [finding('MVG003', 0)] : [];
    };
    const mk = (at: number) => finding('MVG002', at, 'error', [fix('bad', at, at + 2, 'bad', true), fix('good', at, at + 2, 'gd')]);
    const fs = [mk(10), mk(20), mk(30)];
    rankFixes(TEXT, fs, afterOf, { maxAnalyses: 5, deadline: Infinity });
    assert.equal(calls, 4, 'two findings of two fixes; the third would need analyses 5 and 6');
    assert.deepEqual(fs.map((f) => f.fixes!.find((x) => x.preferred)!.title), ['good', 'good', 'bad']);
  });
});
