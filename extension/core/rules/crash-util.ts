/**
 * Helpers shared by the crash rules (MVG003–MVG016): which configs to check, which stage a
 * config is, whether the fusion routing into a stage can be known, literal checks for quick
 * fixes, and edits that insert into a call or a dict.
 */
import type { RuleContext, Finding, TextEdit } from './types';
import type { BackboneInfo } from '../extract';
import type { PNode } from '../python/parse';
import { walk } from '../python/parse';
import { type ConfigValue, type DictValue, isSeq, type Value } from '../python/values';
import type { Range } from '../text';

export interface CheckedConfig {
  cfg: ConfigValue;
  /** Stage index in net_config, when the config is a stage. */
  stage?: number;
}

/**
 * Every config call to check: the stages of net_config first (one ConfigValue per stage, so a
 * helper function called once per stage is checked with each call's values), then every other
 * MixVarGENetConfig(...) written in the file. Deduplicated by evaluation id.
 */
export function checkedConfigs(ctx: RuleContext): CheckedConfig[] {
  const out: CheckedConfig[] = [];
  const seen = new Set<number>();
  ctx.stageConfigs.forEach((cfg, i) => {
    if (!cfg || seen.has(cfg.id)) return;
    seen.add(cfg.id);
    out.push({ cfg, stage: i });
  });
  for (const cfg of ctx.ex.configs) {
    if (seen.has(cfg.id)) continue;
    seen.add(cfg.id);
    out.push({ cfg, stage: stageOf(ctx, cfg) });
  }
  return out;
}

/** Stage index of a config (by evaluation id, so a config referenced through a name is found). */
export function stageOf(ctx: RuleContext, cfg: ConfigValue): number | undefined {
  const i = ctx.stageConfigs.findIndex((c) => c !== undefined && c.id === cfg.id);
  return i >= 0 ? i : undefined;
}

/** Drop findings with the same code, range and message (a helper's literal seen through several calls). */
export function dedupeFindings(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const key = `${f.code}|${f.range.start}|${f.range.end}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An int, or a bool read as Python reads it (True == 1). Undefined for anything else. */
export function intLike(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.k === 'int') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return undefined;
}

/** Kinds whose Python type is known (everything but unknown values, references and functions). */
export function isKnown(v: Value | undefined): v is Value {
  return !!v && v.k !== 'unknown' && v.k !== 'ref' && v.k !== 'func' && v.k !== 'builtin';
}

/**
 * extra_downsample_num of a stage as HAT would use it, when it can be known and is valid
 * (0..3, absent = 0); undefined otherwise.
 */
export function validDownsampleNum(cfg: ConfigValue | undefined): number | undefined {
  if (!cfg || cfg.broken) return undefined;
  const v = cfg.args.get('extra_downsample_num')?.value;
  if (!v) return cfg.opaque ? undefined : 0;
  const n = intLike(v);
  return n !== undefined && n >= 0 && n <= 3 ? n : undefined;
}

/**
 * Whether what stage k's head receives can be known: every earlier stage is one known,
 * intact config whose extra_downsample_num is known and valid. (The model treats a stage it
 * cannot read as emitting nothing; the fusion rules must not trust that.)
 */
export function routingKnownInto(ctx: RuleContext, k: number): boolean {
  return k <= routingKnownPrefix(ctx);
}

const knownPrefix = new WeakMap<RuleContext, number>();

/** The largest k for which routingKnownInto(ctx, k) holds; computed once per analysis (rules ask per stage). */
function routingKnownPrefix(ctx: RuleContext): number {
  const cached = knownPrefix.get(ctx);
  if (cached !== undefined) return cached;
  let k = -1;
  const nc = ctx.ex.netConfig;
  if (nc && ctx.net && netConfigIntact(ctx)) {
    k = 0;
    for (let j = 0; j < nc.stages.length; j++) {
      const entry = nc.stages[j];
      if (!entry || entry.unknown || entry.configs.length !== 1) break;
      const edn = validDownsampleNum(entry.configs[0]);
      // The model emits maps only when it knows their width; their number must still be right.
      if (edn === undefined || ctx.net.stages[j]?.emits.length !== edn) break;
      k = j + 1;
    }
    k = Math.max(k, 0);
  }
  knownPrefix.set(ctx, k);
  return k;
}

/** A list/tuple written in place as literal tokens only (safe to replace by a quick fix). */
export function isLiteralSeq(text: string, v: Value | undefined): boolean {
  if (!v || !isSeq(v) || v.def) return false;
  const src = text.slice(v.r.start, v.r.end);
  if (!/^[[(]/.test(src) || !/[\])]$/.test(src)) return false;
  return v.items.every((i) => i.literal && i.r.start >= v.r.start && i.r.end <= v.r.end);
}

/** "an int", "a str". */
export function article(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** Python rendering of a list of ints. */
export function pyIntList(xs: number[]): string {
  return `[${xs.join(', ')}]`;
}

/** Python's "'a', 'b' and 'c'" enumeration of names (as TypeError messages write them). */
export function pyNames(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 1) return q.join('');
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** "1–3" / "1, 3" / "1" for a list of block indices. */
export function indexList(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const contiguous = s.every((x, i) => i === 0 || x === s[i - 1] + 1);
  if (s.length > 2 && contiguous) return `${s[0]}–${s[s.length - 1]}`;
  return s.join(', ');
}

/** Offset of the last code character in [from, to): skips whitespace and trailing `#` comments. */
export function lastCodeChar(text: string, from: number, to: number): number {
  let i = to - 1;
  for (;;) {
    while (i >= from && /\s/.test(text[i])) i--;
    if (i < from) return i;
    // Is text[i] inside a comment? Scan its line for a '#' outside string quotes.
    const lineStart = text.lastIndexOf('\n', i) + 1;
    let quote: string | null = null;
    let hash = -1;
    for (let j = Math.max(lineStart, from); j <= i; j++) {
      const ch = text[j];
      if (quote) {
        if (ch === '\\') j++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '#') {
        hash = j;
        break;
      }
    }
    if (hash < 0) return i;
    i = hash - 1;
  }
}

/** Insert `snippet` as a last item before the closing bracket of `node` (a `(...)` or `{...}` span). */
export function insertBeforeClose(text: string, node: Range, snippet: string): TextEdit {
  const i = lastCodeChar(text, node.start + 1, node.end - 1);
  if (i < node.start + 1) return { range: { start: node.start + 1, end: node.start + 1 }, newText: snippet };
  return { range: { start: i + 1, end: i + 1 }, newText: text[i] === ',' ? ` ${snippet}` : `, ${snippet}` };
}

/** Insert a `key=value` (dict(...)) or `"key": value` ({...}) entry into a dict. */
export function dictInsertEdit(text: string, dict: DictValue, key: string, valueText: string): TextEdit | undefined {
  const src = text.slice(dict.node.start, dict.node.end);
  if (src.startsWith('{') && src.endsWith('}')) return insertBeforeClose(text, dict.node, `${JSON.stringify(key)}: ${valueText}`);
  const open = src.indexOf('(');
  if (open < 0 || !src.endsWith(')')) return undefined;
  return insertBeforeClose(text, { start: dict.node.start + open, end: dict.node.end }, `${key}=${valueText}`);
}

/** The backbone dicts HAT would build MixVarGENet from: the model's, then the others (deploy model, ...). */
export function allBackbones(ctx: RuleContext): BackboneInfo[] {
  return [...(ctx.ex.backbone ? [ctx.ex.backbone] : []), ...ctx.ex.otherBackbones];
}

/** The top-level statement holding a range. */
export function statementOf(ctx: RuleContext, r: Range): PNode | undefined {
  return ctx.parsed.statements.find((s) => s.from <= r.start && r.end <= s.to);
}

/** Some syntax error starts in [start, end). */
export function syntaxErrorIn(ctx: RuleContext, start: number, end: number): boolean {
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
export function argListNode(ctx: RuleContext, cfg: ConfigValue): PNode | undefined {
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
