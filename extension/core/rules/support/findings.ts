/** Post-processing of a rule's findings. */
import type { Finding } from '../types';

/**
 * Drop findings with the same code, range and message: a literal seen through several evaluations
 * (a helper function called once per stage, `["op"] * 6`) is reported once.
 */
export function dedupeFindings(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const key = `${f.code}|${f.range.start}|${f.range.end}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
