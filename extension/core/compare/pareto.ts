/**
 * The Pareto frontier of points on two numeric axes, each with its own direction (maximise accuracy or FPS,
 * minimise latency, MACs or params). Pure.
 */

export type Direction = 'max' | 'min';

export interface ParetoPoint {
  x: number | null;
  y: number | null;
}

/** `a` is at least as good as `b` on both axes and better on one. */
export function dominates(a: { x: number; y: number }, b: { x: number; y: number }, dx: Direction, dy: Direction): boolean {
  const geX = dx === 'max' ? a.x >= b.x : a.x <= b.x;
  const geY = dy === 'max' ? a.y >= b.y : a.y <= b.y;
  return geX && geY && (a.x !== b.x || a.y !== b.y);
}

/**
 * Indices of the points no other point dominates, ordered by x ascending (then y ascending): the frontier as a line.
 * Points with an unknown (null or non-finite) coordinate are never on it; points at the same place are either all
 * on it or all off it. O(n log n).
 */
export function paretoFrontier(points: readonly ParetoPoint[], dx: Direction, dy: Direction): number[] {
  const known: { i: number; x: number; y: number }[] = [];
  points.forEach((p, i) => {
    if (p.x !== null && p.y !== null && Number.isFinite(p.x) && Number.isFinite(p.y)) known.push({ i, x: p.x, y: p.y });
  });
  // Best x first, then best y: a point is on the frontier iff its y beats every y seen at a strictly better x, and
  // is at least the best y at its own x.
  const sx = dx === 'max' ? -1 : 1;
  const sy = dy === 'max' ? -1 : 1;
  // In "smaller is better" terms.
  const pts = known.map((p) => ({ ...p, u: sx * p.x, v: sy * p.y })).sort((a, b) => a.u - b.u || a.v - b.v);
  const out: { i: number; x: number; y: number }[] = [];
  let bestV = Infinity; // best v among points with a strictly smaller u
  let k = 0;
  while (k < pts.length) {
    let j = k;
    while (j < pts.length && pts[j].u === pts[k].u) j++;
    // The group [k, j) shares u; its best v is pts[k].v (sorted).
    const groupBest = pts[k].v;
    if (groupBest < bestV) for (let m = k; m < j && pts[m].v === groupBest; m++) out.push(pts[m]);
    bestV = Math.min(bestV, groupBest);
    k = j;
  }
  return out.sort((a, b) => a.x - b.x || a.y - b.y || a.i - b.i).map((p) => p.i);
}
