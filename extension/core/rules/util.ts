/** Small helpers shared by rules. */
import type { ConfigValue, Value } from '../python/values';
import type { Range } from '../text';

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 1; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++)
    for (let j = 1; j <= n; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[m][n];
}

/** The closest candidate, if it is close enough to be what was meant. */
export function nearest(word: string, candidates: string[], maxRatio = 0.5): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  return bestD <= Math.max(2, Math.ceil(word.length * maxRatio)) ? best : undefined;
}

/** Range of a field's value in a config call (or of the call's callee when the field is absent). */
export function fieldRange(cfg: ConfigValue, field: string): Range {
  return cfg.args.get(field)?.value.r ?? cfg.callee;
}

export function fieldValue(cfg: ConfigValue | undefined, field: string): Value | undefined {
  return cfg?.args.get(field)?.value;
}

/** Where to insert `, field=value` at the end of a config call's argument list. */
export function insertFieldEdit(text: string, cfg: ConfigValue, snippet: string): { range: Range; newText: string } {
  const close = cfg.argList.end - 1;
  let i = close - 1;
  while (i > cfg.argList.start && /\s/.test(text[i])) i--;
  const hasArgs = i > cfg.argList.start;
  const trailingComma = text[i] === ',';
  return { range: { start: i + 1, end: i + 1 }, newText: hasArgs ? (trailingComma ? ` ${snippet}` : `, ${snippet}`) : snippet };
}
