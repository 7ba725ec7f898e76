import { strict as assert } from 'node:assert';
import { dominates, paretoFrontier, type ParetoPoint } from '../../../extension/core/compare/pareto';

const P = (x: number | null, y: number | null): ParetoPoint => ({ x, y });

describe('compare: the Pareto frontier', () => {
  it('maximise y (accuracy) against maximise x (FPS): hand-worked set', () => {
    // (FPS, acc): A(100,70) B(200,69) C(150,68) D(300,60) E(90,71) F(200,65)
    // C is dominated by B (200 >= 150, 69 >= 68); F by B (same x, lower y); the rest trade off.
    const pts = [P(100, 70), P(200, 69), P(150, 68), P(300, 60), P(90, 71), P(200, 65)];
    assert.deepEqual(paretoFrontier(pts, 'max', 'max'), [4, 0, 1, 3]); // ordered by x: 90, 100, 200, 300
  });

  it('minimise x (latency) and maximise y (accuracy)', () => {
    // (ms, acc): A(10,70) B(5,60) C(12,72) D(11,69) E(5,65)
    // B is dominated by E (same latency, better acc); D by A (10 <= 11, 70 >= 69).
    const pts = [P(10, 70), P(5, 60), P(12, 72), P(11, 69), P(5, 65)];
    assert.deepEqual(paretoFrontier(pts, 'min', 'max'), [4, 0, 2]);
  });

  it('minimise both (MACs, params)', () => {
    const pts = [P(3, 3), P(1, 5), P(2, 2), P(5, 1), P(4, 4)];
    // (2,2) dominates (3,3) and (4,4); (1,5) and (5,1) are extremes.
    assert.deepEqual(paretoFrontier(pts, 'min', 'min'), [1, 2, 3]);
  });

  it('ties: points at the same place are all on it; a tie on one axis keeps only the better on the other', () => {
    const pts = [P(100, 70), P(100, 70), P(100, 69), P(50, 70)];
    // (50,70) is dominated by (100,70) under max/max; (100,69) too. Both copies of (100,70) stay.
    assert.deepEqual(paretoFrontier(pts, 'max', 'max'), [0, 1]);
    // Under min x / max y: (50,70) dominates both (100,70) copies and (100,69).
    assert.deepEqual(paretoFrontier(pts, 'min', 'max'), [3]);
  });

  it('points with an unknown coordinate are never on it, and never hide others', () => {
    const pts = [P(null, 99), P(10, null), P(1, 1), P(Number.NaN, 5), P(2, 0)];
    assert.deepEqual(paretoFrontier(pts, 'max', 'max'), [2, 4]);
    assert.deepEqual(paretoFrontier([P(null, null)], 'max', 'max'), []);
    assert.deepEqual(paretoFrontier([], 'min', 'min'), []);
  });

  it('a single known point is its own frontier', () => {
    assert.deepEqual(paretoFrontier([P(null, 1), P(3, 4)], 'min', 'max'), [1]);
  });

  it('agrees with the quadratic definition on random sets (negative: a dominated point is never returned)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let t = 0; t < 200; t++) {
      const pts = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => P(rnd() < 0.1 ? null : Math.floor(rnd() * 6), Math.floor(rnd() * 6)));
      for (const dx of ['max', 'min'] as const)
        for (const dy of ['max', 'min'] as const) {
          const want = pts
            .map((p, i) => ({ p, i }))
            .filter(({ p }) => p.x !== null && p.y !== null)
            .filter(({ p }) => !pts.some((q) => q.x !== null && q.y !== null && dominates(q as { x: number; y: number }, p as { x: number; y: number }, dx, dy)))
            .map(({ i }) => i)
            .sort((a, b) => a - b);
          assert.deepEqual([...paretoFrontier(pts, dx, dy)].sort((a, b) => a - b), want);
        }
    }
  });
});
