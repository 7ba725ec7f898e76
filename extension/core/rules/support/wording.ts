/** Words and Python renderings for rule messages (numbers, counts and plurals: core/format.ts). */

/** "an int", "a str". */
export function article(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** Python rendering of a list of ints. */
export function pyIntList(xs: number[]): string {
  return `[${xs.join(', ')}]`;
}

/** Python's "'a', 'b', and 'c'" enumeration of names (as TypeError messages write them). */
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

/** "a", "a or b", "a, b or c". */
export function joinOr(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

/** A message: its headline, then the explanation as the next sentence ("Unknown op "x": did you mean "y"? HAT …"). */
export function headlineFirst(headline: string, explanation: string): string {
  return `${headline}${/[.?!]$/.test(headline) ? '' : '.'} ${explanation}`;
}

/** "1–3" / "1, 3" / "1" for a list of block indices. */
export function indexList(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const contiguous = s.every((x, i) => i === 0 || x === s[i - 1] + 1);
  if (s.length > 2 && contiguous) return `${s[0]}–${s[s.length - 1]}`;
  return s.join(', ');
}
