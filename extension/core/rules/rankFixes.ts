/**
 * Ranking a finding's quick fixes by what they leave behind. Each choice is applied to the text and
 * the result analysed again (about 1 ms for a config of the seed's size): a fix that swaps its
 * error for a new one (in_channels chained to a width the next group conv cannot split) goes after
 * one that does not, and becomes the preferred fix only when every choice does as badly.
 *
 * The analysis calls it after the rules (analyze.ts), with a function that analyses a text with
 * the same options and no ranking. Findings with one fix keep it as it is.
 */
import type { Finding, Fix, Severity } from './types';
import { applyEdits, offsetBefore } from './support/edits';

/** What the text holds after a fix: counts by severity, and how many of them were not there before. */
export interface FixOutcome {
  errors: number;
  newErrors: number;
  warnings: number;
  newWarnings: number;
}

export interface RankOptions {
  /** How many texts to analyse at most; findings past it keep the rules' order. */
  maxAnalyses: number;
  /** performance.now() after which no more texts are analysed (a guard, not the budget). */
  deadline: number;
}

/** A finding's identity across an edit: its rule and where it starts in the original text. */
function keyOf(code: string, start: number): string {
  return `${code}@${start}`;
}

/** What applying `fix` to `text` leaves, compared with the findings of `text` itself. */
export function fixOutcome(text: string, before: readonly Finding[], fix: Fix, reanalyse: (text: string) => Finding[]): FixOutcome {
  const had = (sev: Severity) => new Set(before.filter((f) => f.severity === sev).map((f) => keyOf(f.code, f.range.start)));
  const hadErrors = had('error');
  const hadWarnings = had('warning');
  const after = reanalyse(applyEdits(text, fix.edits));
  const out: FixOutcome = { errors: 0, newErrors: 0, warnings: 0, newWarnings: 0 };
  for (const f of after) {
    const key = keyOf(f.code, offsetBefore(fix.edits, f.range.start));
    if (f.severity === 'error') {
      out.errors++;
      if (!hadErrors.has(key)) out.newErrors++;
    } else if (f.severity === 'warning') {
      out.warnings++;
      if (!hadWarnings.has(key)) out.newWarnings++;
    }
  }
  return out;
}

/**
 * Negative when outcome a is better: no new error, then fewer errors. Warnings do not reorder: where
 * a silent rule prefers the fix that keeps the network HAT builds today over one that changes it
 * (and leaves fewer warnings), that choice is the rule's to make.
 */
export function compareOutcomes(a: FixOutcome, b: FixOutcome): number {
  return Number(a.newErrors > 0) - Number(b.newErrors > 0) || a.errors - b.errors;
}

/**
 * Order each finding's fixes best first (ties keep the rule's order) and, where the rule marked
 * one preferred, move that mark to the best. Mutates the findings.
 */
export function rankFixes(text: string, findings: Finding[], reanalyse: (text: string) => Finding[], opts: RankOptions): void {
  // The same fix can belong to several findings (one edit that cures two errors): analyse it once.
  const cache = new Map<string, FixOutcome>();
  const before = [...findings];
  for (const f of findings) {
    const fixes = f.fixes;
    if (!fixes || fixes.length < 2) continue;
    const sigs = fixes.map((fix) => JSON.stringify(fix.edits.map((e) => [e.range.start, e.range.end, e.newText])));
    // A finding is ranked whole or not at all.
    const missing = new Set(sigs.filter((s) => !cache.has(s))).size;
    if (cache.size + missing > opts.maxAnalyses || (missing > 0 && performance.now() > opts.deadline)) return;
    const outcomes = fixes.map((fix, i) => {
      let o = cache.get(sigs[i]);
      if (!o) {
        o = fixOutcome(text, before, fix, reanalyse);
        cache.set(sigs[i], o);
      }
      return o;
    });
    const order = fixes.map((_, i) => i).sort((i, j) => compareOutcomes(outcomes[i], outcomes[j]) || i - j);
    const hadPreferred = fixes.some((x) => x.preferred);
    f.fixes = order.map((i, rank) => {
      const { preferred: _was, ...fix } = fixes[i];
      return hadPreferred && rank === 0 ? { ...fix, preferred: true } : fix;
    });
  }
}
