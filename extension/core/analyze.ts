/**
 * One call that runs the whole core: parse → evaluate → extract → model → rules, under one set of
 * budgets (python/budget.ts: work, memory, a deadline). Where one runs out the analysis stops —
 * the values from there on are unknown, a network too large is not modelled — and `stopped` says
 * where and why (rule MVG017 reports it).
 */
import { parsePython, type ParsedModule } from './python/parse';
import { evaluateWithOrphans, type EvalResult } from './python/evaluate';
import { type AnalysisStop, DEFAULT_LIMITS, type Limits, Meter } from './python/budget';
import { isSeq } from './python/values';
import { extract, type Extracted, type Target } from './extract';
import { buildNetwork, type Network } from './model';
import { DEFAULT_OPS, type OpTable } from './schema';
import { RULES } from './rules/index';
import { rankFixes } from './rules/rankFixes';
import type { Finding, RuleContext } from './rules/types';
import { choiceFor, effectiveSeverity, type SeverityOverrides } from './severity';
import { LineIndex } from './text';

export interface AnalyzeOptions {
  ops?: OpTable;
  /** The user's target; `march` in the file wins when present. Default J5. */
  target?: Target;
  /** Include J5 design hints (guidance rules). Default true. */
  hints?: boolean;
  /** Rule codes or names to skip. */
  disabled?: string[];
  /** The severity of the silent and guidance findings (severity.ts); 'off' skips the category's rules. */
  severity?: SeverityOverrides;
  /**
   * Order each finding's fixes by what they leave (rules/rankFixes.ts: the text is analysed again
   * with each one applied). Default true; off for those analyses themselves.
   */
  rankFixes?: boolean;
  /** The budgets (python/budget.ts); DEFAULT_LIMITS for what is not given. */
  limits?: Partial<Limits>;
}

/**
 * Ranking fixes analyses the text once per choice: at most RANK_WORK / length analyses (between 4
 * and 40; a config of the seed's size analyses in about 1 ms, ten times that in about 13 ms), none
 * for files over RANK_MAX_CHARS or whose analysis ran out of a budget, so that what is preferred depends on the
 * text alone, not on how busy the machine is; RANK_DEADLINE_MS only guards against a pathological file.
 */
const RANK_MAX_CHARS = 40_000;
const RANK_WORK = 400_000;
const RANK_DEADLINE_MS = 1_000;

/** The most blocks (a stage's head block plus its stack_ops) a network may have to be modelled. */
export const MAX_BLOCKS = 5000;

export interface Analysis {
  text: string;
  lines: LineIndex;
  parsed: ParsedModule;
  ev: EvalResult;
  extracted: Extracted;
  network: Network | null;
  target: Target;
  findings: Finding[];
  /** Rules that threw (a bug): reported, never propagated. */
  ruleErrors: { code: string; error: string }[];
  /** Where and why the analysis stopped before the end of the file (a budget ran out), if it did. */
  stopped?: AnalysisStop;
  /** What the analysis used of its budgets: work units and estimated bytes (budget.ts). */
  used: { work: number; memory: number };
  /** rankMs: ordering the fixes (re-analysing the text with each applied). */
  timings: { parseMs: number; evaluateMs: number; modelMs: number; rulesMs: number; rankMs: number };
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const ops = options.ops ?? DEFAULT_OPS;
  const t0 = performance.now();
  const meter = new Meter({ ...DEFAULT_LIMITS, ...options.limits }, t0);
  const parsed = parsePython(text, meter);
  const t1 = performance.now();
  const ev = evaluateWithOrphans(parsed, meter);
  const t2 = performance.now();
  const extracted = extract(parsed, ev);
  let stopped = parsed.stopped ?? ev.stopped;
  const tooLarge = stopped ? undefined : networkTooLarge(extracted, text);
  stopped ??= tooLarge;
  const network = tooLarge ? null : buildNetwork(extracted, ops);
  const t3 = performance.now();
  const target: Target = extracted.marchTarget ?? options.target ?? 'J5';
  const stageConfigs = extracted.netConfig?.stages.map((s) => s.configs[0]) ?? [];
  const ctx: RuleContext = { text, parsed, ev, ex: extracted, net: network, ops, target, stageConfigs, stopped };
  const disabled = new Set((options.disabled ?? []).map((d) => d.toUpperCase()));
  const findings: Finding[] = [];
  const ruleErrors: Analysis['ruleErrors'] = [];
  const relevant = extracted.mentionsConfig || extracted.backbone !== undefined;
  for (const rule of RULES) {
    if (disabled.has(rule.code) || disabled.has(rule.name.toUpperCase())) continue;
    if (rule.category === 'guidance' && options.hints === false) continue;
    if (!relevant && rule.category !== 'syntax') continue;
    if (choiceFor(rule.category, options.severity) === 'off') continue;
    try {
      for (const f of rule.check(ctx)) {
        const severity = effectiveSeverity(rule.category, f.severity, options.severity);
        if (severity !== null) findings.push(severity === f.severity ? f : { ...f, severity });
      }
    } catch (e) {
      ruleErrors.push({ code: rule.code, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
  const t4 = performance.now();
  if (options.rankFixes !== false && !stopped && text.length <= RANK_MAX_CHARS && findings.some((f) => (f.fixes?.length ?? 0) > 1)) {
    const again = (t: string) => analyze(t, { ...options, rankFixes: false }).findings;
    const maxAnalyses = Math.max(4, Math.min(40, Math.floor(RANK_WORK / Math.max(1, text.length))));
    rankFixes(text, findings, again, { maxAnalyses, deadline: t4 + RANK_DEADLINE_MS });
  }
  const t5 = performance.now();
  return {
    text,
    lines: new LineIndex(text),
    parsed,
    ev,
    extracted,
    network,
    target,
    findings,
    ruleErrors,
    stopped,
    used: { work: meter.work, memory: meter.memory },
    timings: { parseMs: t1 - t0, evaluateMs: t2 - t1, modelMs: t3 - t2, rulesMs: t4 - t3, rankMs: t5 - t4 },
  };
}

/** The network is too large to model (over MAX_BLOCKS blocks): where net_config is written, and why. */
function networkTooLarge(ex: Extracted, text: string): AnalysisStop | undefined {
  const nc = ex.netConfig;
  if (!nc) return undefined;
  let blocks = 0;
  for (const s of nc.stages) {
    const ops = s.configs[0]?.args.get('stack_ops')?.value;
    blocks += 1 + (ops && isSeq(ops) ? ops.items.length : 0);
  }
  if (blocks <= MAX_BLOCKS) return undefined;
  const eol = text.indexOf('\n', nc.range.start);
  const range = { start: nc.range.start, end: Math.min(nc.range.end, eol < 0 ? text.length : eol) };
  return {
    kind: 'size',
    phase: 'model',
    range: range.end > range.start ? range : nc.range,
    why: `its network has ${blocks.toLocaleString('en-US')} blocks in ${nc.stages.length.toLocaleString('en-US')} stages, more than the ${MAX_BLOCKS.toLocaleString('en-US')} that are modelled`,
  };
}
