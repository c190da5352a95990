/** The best clipping range a search found and its cost. */
export interface _SearchResult {
  lo: number;
  hi: number;
  cost: number;
}

/**
 * Grid search over clipping ranges [minNeg * a, maxPos * b] with a, b in (0, 1] (symmetric: [-m a, m a]
 * with m = max(-minNeg, maxPos)), minimizing `cost(lo, hi)`.
 *
 * - Coarse stage: a, b in {1, (G-1)/G, ..., 1/G}: G candidates (one-sided or symmetric) or G x G.
 * - Fine stage: steps of 1/G^2 within one coarse step either side of the best: 2G + 1 candidates in 1-D;
 *   in 2-D two rounds of alternating 1-D refinements (a with b fixed, then b with a fixed).
 *
 * The resolution is 1/G^2 of the observed range (1/400 with G = 20); ties keep the wider range (the
 * min-max range is the first candidate). Returns the min-max range when the data are all zero.
 * `coarseCost`, when given, ranks the coarse grid (a cheaper model); the fine stage and the returned
 * cost always use `cost`.
 */
export function _searchClipRange(
  minNeg: number,
  maxPos: number,
  symmetric: boolean,
  grid: number,
  cost: (lo: number, hi: number) => number,
  coarseCost: (lo: number, hi: number) => number = cost,
): _SearchResult {
  if (symmetric) {
    const m = Math.max(-minNeg, maxPos);
    if (m === 0) return { lo: 0, hi: 0, cost: cost(0, 0) };
    const best = search1d(
      grid,
      (a) => cost(-m * a, m * a),
      (a) => coarseCost(-m * a, m * a),
    );
    return { lo: -m * best.t, hi: m * best.t, cost: best.cost };
  }
  if (minNeg === 0 && maxPos === 0) return { lo: 0, hi: 0, cost: cost(0, 0) };
  if (minNeg === 0) {
    const best = search1d(
      grid,
      (b) => cost(0, maxPos * b),
      (b) => coarseCost(0, maxPos * b),
    );
    return { lo: 0, hi: maxPos * best.t, cost: best.cost };
  }
  if (maxPos === 0) {
    const best = search1d(
      grid,
      (a) => cost(minNeg * a, 0),
      (a) => coarseCost(minNeg * a, 0),
    );
    return { lo: minNeg * best.t, hi: 0, cost: best.cost };
  }
  const f = (a: number, b: number) => cost(minNeg * a, maxPos * b);
  let bestA = 1;
  let bestB = 1;
  let coarseBest = Number.POSITIVE_INFINITY;
  for (let i = grid; i >= 1; i--) {
    for (let j = grid; j >= 1; j--) {
      const c = coarseCost(minNeg * (i / grid), maxPos * (j / grid));
      if (c < coarseBest) {
        coarseBest = c;
        bestA = i / grid;
        bestB = j / grid;
      }
    }
  }
  let bestCost = f(bestA, bestB);
  for (let round = 0; round < 2; round++) {
    const b = bestB;
    const ra = refine(grid, bestA, (a) => f(a, b));
    if (ra.cost < bestCost) {
      bestCost = ra.cost;
      bestA = ra.t;
    }
    const a = bestA;
    const rb = refine(grid, bestB, (t) => f(a, t));
    if (rb.cost < bestCost) {
      bestCost = rb.cost;
      bestB = rb.t;
    }
  }
  return { lo: minNeg * bestA, hi: maxPos * bestB, cost: bestCost };
}

function search1d(
  grid: number,
  f: (t: number) => number,
  coarse: (t: number) => number,
): { t: number; cost: number } {
  let t = 1;
  let best = Number.POSITIVE_INFINITY;
  for (let i = grid; i >= 1; i--) {
    const c = coarse(i / grid);
    if (c < best) {
      best = c;
      t = i / grid;
    }
  }
  return refine(grid, t, f); // includes t itself (k = 0)
}

/** Steps of 1/grid^2 within one coarse step of t0, inside (0, 1]; the best strictly better than none. */
function refine(grid: number, t0: number, f: (t: number) => number): { t: number; cost: number } {
  const step = 1 / (grid * grid);
  let t = t0;
  let cost = Number.POSITIVE_INFINITY;
  for (let k = grid; k >= -grid; k--) {
    const u = t0 + k * step;
    if (!(u > 0 && u <= 1 + 1e-12)) continue;
    const c = f(Math.min(u, 1));
    if (c < cost) {
      cost = c;
      t = Math.min(u, 1);
    }
  }
  return { t, cost };
}
