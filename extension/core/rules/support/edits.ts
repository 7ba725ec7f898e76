/** Quick-fix edits, and whether a written value is safe to rewrite. */
import type { RuleContext, TextEdit } from '../types';
import { type ConfigValue, type DictValue, isSeq, type Value } from '../../python/values';
import type { Range } from '../../text';

/** Offset of the last code character in [from, to): skips whitespace and trailing `#` comments. */
function lastCodeChar(text: string, from: number, to: number): number {
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

/**
 * Insert `snippet` as a last item before the closing bracket of `node` (a `(...)` or `{...}` span,
 * e.g. a config call's argList: `, field=value`).
 */
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

/** A list/tuple written in place as literal tokens only (safe to replace by a quick fix). */
export function isLiteralSeq(text: string, v: Value | undefined): boolean {
  if (!v || !isSeq(v) || v.def) return false;
  const src = text.slice(v.r.start, v.r.end);
  if (!/^[[(]/.test(src) || !/[\])]$/.test(src)) return false;
  return v.items.every((i) => i.literal && i.r.start >= v.r.start && i.r.end <= v.r.end);
}

/**
 * Stricter than isLiteralSeq: one list or tuple display written right here (`[8, 4]`), every item a
 * literal written once, so its items can be rewritten or reordered. Not a name, not `[4] * 2`, not
 * `[8] + [4]`.
 */
export function isSeqDisplay(text: string, v: Value | undefined): boolean {
  if (!v || !isSeq(v) || v.def) return false;
  const open = text[v.r.start];
  const close = text[v.r.end - 1];
  if (!((open === '[' && close === ']') || (open === '(' && close === ')'))) return false;
  let depth = 0;
  for (let i = v.r.start; i < v.r.end; i++) {
    const c = text[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      depth--;
      if (depth === 0 && i !== v.r.end - 1) return false;
    }
  }
  const seen = new Set<number>();
  for (const it of v.items) {
    if (!it.literal || it.r.start < v.r.start || it.r.end > v.r.end || seen.has(it.r.start)) return false;
    seen.add(it.r.start);
  }
  return true;
}

/** Ranges of every value a stage config holds (items of sequences included). */
function valueRanges(v: Value, out: Range[]): void {
  out.push(v.r);
  if (isSeq(v)) for (const i of v.items) valueRanges(i, out);
}

/**
 * A literal that belongs to this stage alone: safe to rewrite. A literal written once inside a
 * helper function that builds several stages is shared, and rewriting it would change them all.
 */
export function ownLiteral(ctx: RuleContext, cfg: ConfigValue | undefined, v: Value | undefined): boolean {
  if (!v || !v.literal) return false;
  for (const other of ctx.stageConfigs) {
    if (!other || other === cfg) continue;
    const rs: Range[] = [];
    for (const a of other.args.values()) valueRanges(a.value, rs);
    if (rs.some((r) => r.start === v.r.start && r.end === v.r.end)) return false;
  }
  return true;
}

/** The config call is written for this stage alone (not once in a helper that builds several stages). */
export function ownCall(ctx: RuleContext, cfg: ConfigValue): boolean {
  return !ctx.stageConfigs.some((o) => o && o !== cfg && o.call.start === cfg.call.start);
}

/** The text with non-overlapping edits applied (ranges in the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

/**
 * Where an offset of the edited text was in the original text: offsets inside replaced text map
 * to the start of the replaced range.
 */
export function offsetBefore(edits: readonly TextEdit[], offset: number): number {
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.range.start - b.range.start)) {
    const start = e.range.start + delta;
    if (offset < start) break;
    if (offset < start + e.newText.length) return e.range.start;
    delta += e.newText.length - (e.range.end - e.range.start);
  }
  return offset - delta;
}
