/**
 * Whether what the evaluator read can be trusted as written: syntax errors near a statement, a
 * config call cut short, arguments the evaluator could not account for. Rules that would report
 * a missing or wrong value stay silent where the text cannot be trusted.
 */
import type { RuleContext } from '../types';
import type { BackboneInfo } from '../../extract';
import type { PNode } from '../../python/parse';
import { walk } from '../../python/parse';
import type { ConfigValue } from '../../python/values';
import type { Range } from '../../text';

/** The top-level statement holding a range. */
function statementOf(ctx: RuleContext, r: Range): PNode | undefined {
  return ctx.parsed.statements.find((s) => s.from <= r.start && r.end <= s.to);
}

/** Some syntax error starts in [start, end). */
function syntaxErrorIn(ctx: RuleContext, start: number, end: number): boolean {
  return ctx.parsed.syntaxErrors.some((e) => e.range.start >= start && e.range.start < end);
}

/**
 * A syntax error right after a config call (before the next config call of the same statement)
 * may have cut the call short: e.g. `MixVarGENetConfig(in_channels=32, )head_op=...`.
 */
export function configCutShort(ctx: RuleContext, cfg: ConfigValue): boolean {
  const stmt = statementOf(ctx, cfg.call);
  const end = stmt ? stmt.to : cfg.call.end;
  const next = ctx.ex.configs.map((c) => c.call.start).filter((s) => s >= cfg.call.end && s < end);
  return syntaxErrorIn(ctx, cfg.call.start, next.length ? Math.min(...next) : Math.max(end, cfg.call.end + 1));
}

/**
 * The statement holding `r` can be trusted as written: no syntax error inside it, nor between it
 * and the next intact statement (a stray bracket there means its brackets are not what the user
 * meant), nor — after statement-level re-parse recovery, when brackets between statements cannot
 * be trusted — anywhere after its start.
 */
export function rangeIntact(ctx: RuleContext, r: Range): boolean {
  const stmt = statementOf(ctx, r);
  if (!stmt || stmt.error) return false;
  if (ctx.parsed.recovered && syntaxErrorIn(ctx, stmt.from, ctx.text.length + 1)) return false;
  const next = ctx.parsed.statements.filter((s) => s.from >= stmt.to && !s.error).reduce((m, s) => Math.min(m, s.from), ctx.text.length + 1);
  return !syntaxErrorIn(ctx, stmt.from, Math.max(next, stmt.to + 1));
}

/** net_config is written in statements free of syntax errors (its stage structure can be trusted). */
export function netConfigIntact(ctx: RuleContext): boolean {
  const nc = ctx.ex.netConfig;
  if (!nc || nc.recovered) return false;
  // A stage reached through a name is checked where the name was defined, too.
  return rangeIntact(ctx, nc.range) && nc.stages.every((st) => rangeIntact(ctx, st.range) && (!st.value.def || rangeIntact(ctx, st.value.def)));
}

/** The backbone dict (and where its values come from) can be trusted as written. */
export function backboneIntact(ctx: RuleContext, bb: BackboneInfo): boolean {
  return rangeIntact(ctx, bb.dict.node) && (!bb.dict.def || rangeIntact(ctx, bb.dict.def));
}

/** The ArgList node of a config call, from the parse tree. */
function argListNode(ctx: RuleContext, cfg: ConfigValue): PNode | undefined {
  let found: PNode | undefined;
  for (const s of ctx.parsed.statements) {
    if (s.to < cfg.argList.start || s.from > cfg.argList.end) continue;
    walk(s, (n) => {
      if (found) return false;
      if (n.type === 'ArgList' && n.from === cfg.argList.start && n.to === cfg.argList.end) {
        found = n;
        return false;
      }
      return n.from <= cfg.argList.start && cfg.argList.end <= n.to;
    });
    if (found) break;
  }
  return found;
}

/**
 * Every argument written in the call was understood by the evaluator (none was dropped as
 * broken or as a positional after a keyword): a field that is absent is really absent.
 */
export function argsAccountedFor(ctx: RuleContext, cfg: ConfigValue): boolean {
  const node = argListNode(ctx, cfg);
  if (!node) return false;
  const recorded: Range[] = [
    ...[...cfg.args.values()].map((a) => a.argRange),
    ...cfg.unknownKwargs.map((u) => u.argRange),
    ...cfg.extraPositional,
    ...cfg.duplicates.map((d) => d.range),
  ];
  const groups: PNode[][] = [[]];
  for (const c of node.children) {
    if (c.type === '(' || c.type === ')') continue;
    if (c.type === ',') groups.push([]);
    else groups[groups.length - 1].push(c);
  }
  for (const g of groups) {
    if (g.length === 0) continue;
    if (g[0].type === '*' || g[0].type === '**') continue;
    if (g.some((c) => c.error)) return false;
    const start = g[0].from;
    if (!recorded.some((r) => r.start <= start && start < Math.max(r.end, r.start + 1))) return false;
  }
  return true;
}
