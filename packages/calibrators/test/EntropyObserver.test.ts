import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { _KlDivergence } from "../src/_klDivergence";
import { _klThreshold } from "../src/_klThreshold";
import { _klWindow } from "../src/_klWindow";
import { EntropyObserver } from "../src/index";

/**
 * TensorRT's pseudo-code (GTC 2017, "8-bit Inference with TensorRT") written out literally: for each i,
 * build P and Q as arrays, normalize both, KL(P || Q); infinite where Q = 0 < P.
 */
function slowKl(hist: number[], levels: number): { bins: number; divergence: number } {
  let used = hist.length;
  while (used > 0 && hist[used - 1] === 0) used--;
  if (used <= levels) return { bins: Math.max(used, 1), divergence: 0 };
  let best = { bins: used, divergence: Number.POSITIVE_INFINITY };
  for (let i = levels; i <= used; i++) {
    const P = hist.slice(0, i);
    P[i - 1]! += hist.slice(i).reduce((a, b) => a + b, 0);
    const Q = new Array<number>(i).fill(0);
    for (let g = 0; g < levels; g++) {
      const members: number[] = [];
      for (let j = 0; j < i; j++) if (Math.floor((j * levels) / i) === g) members.push(j);
      const mass = members.reduce((a, j) => a + hist[j]!, 0);
      const nonEmpty = members.filter((j) => hist[j]! > 0);
      for (const j of nonEmpty) Q[j] = mass / nonEmpty.length;
    }
    const sp = P.reduce((a, b) => a + b, 0);
    const sq = Q.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let j = 0; j < i; j++) {
      if (P[j] === 0) continue;
      if (Q[j] === 0) {
        kl = Number.POSITIVE_INFINITY;
        break;
      }
      kl += (P[j]! / sp) * Math.log(P[j]! / sp / (Q[j]! / sq));
    }
    if (kl < best.divergence) best = { bins: i, divergence: kl };
  }
  return best;
}

/**
 * The divergence of the window [a, b) written out literally: P = bins [a, b) with the bins below a added
 * to its first bin and those from b on to its last, Q = the window merged into `levels` levels and spread
 * over each level's non-empty bins, both normalized, KL(P || Q).
 */
function slowWindowKl(hist: readonly number[], a: number, b: number, levels: number): number {
  const m = b - a;
  if (m < levels) return Number.POSITIVE_INFINITY;
  const sum = (v: readonly number[]) => v.reduce((s, h) => s + h, 0);
  const P = hist.slice(a, b);
  P[0]! += sum(hist.slice(0, a));
  P[m - 1]! += sum(hist.slice(b));
  const Q = new Array<number>(m).fill(0);
  for (let g = 0; g < levels; g++) {
    const members: number[] = [];
    for (let j = 0; j < m; j++) if (Math.floor((j * levels) / m) === g) members.push(j);
    const mass = members.reduce((s, j) => s + hist[a + j]!, 0);
    const nonEmpty = members.filter((j) => hist[a + j]! > 0);
    for (const j of nonEmpty) Q[j] = mass / nonEmpty.length;
  }
  const sp = sum(P);
  const sq = sum(Q);
  let kl = 0;
  for (let j = 0; j < m; j++) {
    if (P[j] === 0) continue;
    if (Q[j] === 0) return Number.POSITIVE_INFINITY;
    kl += (P[j]! / sp) * Math.log(P[j]! / sp / (Q[j]! / sq));
  }
  return kl;
}

/** Every window [a, b) that holds zeroBin, the smallest divergence first (the exhaustive search). */
function bestWindow(hist: readonly number[], levels: number, zeroBin: number) {
  const kl = new _KlDivergence(hist);
  let best = { lo: 0, hi: 0, divergence: Number.POSITIVE_INFINITY };
  for (let a = Math.min(kl.first, zeroBin); a <= zeroBin; a++)
    for (let b = zeroBin + 1; b <= Math.max(kl.end, zeroBin + 1); b++) {
      const d = kl.divergence(a, b, levels);
      if (d < best.divergence) best = { lo: a, hi: b, divergence: d };
    }
  return best;
}

/** Histograms with empty runs: 0..20 per bin, about a third empty, at least one value. */
const arbHistogram = (minLength: number, maxLength: number) =>
  fc
    .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })), { minLength, maxLength })
    .filter((h) => h.some((v) => v > 0));

describe("EntropyObserver (TensorRT's KL calibration)", () => {
  it("the fast search picks the threshold of the literal pseudo-code", () => {
    const rng = new Rng(4);
    for (let t = 0; t < 6; t++) {
      const bins = 300 + 37 * t;
      const hist = Array.from({ length: bins }, (_, j) =>
        Math.round(1000 * Math.exp(-j / (20 + 15 * t)) * rng.next()),
      );
      hist[bins - 1] = 2; // a far outlier bin
      if (t % 2) hist[bins - 5] = 0;
      const levels = t < 3 ? 128 : 64;
      const fast = _klThreshold(hist, levels);
      const slow = slowKl(hist, levels);
      expect(Math.abs(fast.divergence - slow.divergence)).toBeLessThanOrEqual(1e-9);
      if (fast.bins !== slow.bins) {
        // only a floating-point tie may pick a different candidate
        expect(Math.abs(slowKl(hist.slice(), levels).divergence - fast.divergence)).toBeLessThan(1e-12);
      }
    }
  });

  it("a Gaussian: the threshold sits well inside max|x| (the tails are cut)", () => {
    const x = new Rng(1).fillNormal(new Float32Array(200_000));
    const obs = new EntropyObserver();
    obs.observe(x);
    const { minVal, maxVal } = obs.range();
    let absMax = 0;
    for (const v of x) absMax = Math.max(absMax, Math.abs(v));
    expect(minVal[0]).toBe(-maxVal[0]!);
    // seen: T = 4.17 with max|x| = 4.77 (200,000 samples): the sparse last 13% of the range is cut
    expect(maxVal[0]).toBeGreaterThan(3);
    expect(maxVal[0]).toBeLessThan(0.9 * absMax);
    expect(obs.levels).toBe(128);
    expect(obs.divergence).toBeGreaterThan(0);
    expect(obs.calculateQParams().zeroPoint[0]).toBe(0);
  });

  it("uniform values without outliers: the threshold is near max|x|", () => {
    const obs = new EntropyObserver();
    obs.observe(new Rng(2).fillUniform(new Float32Array(100_000), -4, 4));
    expect(obs.range().maxVal[0]).toBeGreaterThan(0.95 * 4);
  });

  it("affine on non-negative data (after ReLU) uses all 256 levels and a range [0, T]", () => {
    const x = new Rng(3).fillNormal(new Float32Array(50_000)).map(Math.abs);
    const obs = new EntropyObserver({ dtype: "quint8", qscheme: "per_tensor_affine" });
    obs.observe(x);
    expect(obs.levels).toBe(256);
    const { minVal, maxVal } = obs.range();
    expect(minVal[0]).toBeGreaterThanOrEqual(0);
    expect(maxVal[0]).toBeLessThan(obs.maxVal);
  });

  it("fewer populated bins than levels: nothing to clip", () => {
    const obs = new EntropyObserver({ bins: 100 });
    obs.observe(new Float32Array([-1, 0.5, 2]));
    expect(obs.range().maxVal[0]).toBe(2);
  });

  it("across batches the |x| histogram grows and the threshold follows", () => {
    const rng = new Rng(5);
    const obs = new EntropyObserver();
    obs.observe(rng.fillNormal(new Float32Array(50_000), 0, 0.5));
    const first = obs.range().maxVal[0]!;
    obs.observe(rng.fillNormal(new Float32Array(50_000), 0, 2));
    expect(obs.range().maxVal[0]).toBeGreaterThan(first);
    expect(obs.histogram().counts.reduce((a, b) => a + b, 0)).toBe(100_000);
  });
});

describe("the KL divergence of a window, both ends clipped", () => {
  it("equals the literal construction of P and Q for every window and level count", () => {
    fc.assert(
      fc.property(
        arbHistogram(1, 40),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 12 }),
        (hist, i, j, levels) => {
          const a = i % hist.length;
          const b = a + 1 + (j % (hist.length - a));
          const fast = new _KlDivergence(hist).divergence(a, b, levels);
          const slow = slowWindowKl(hist, a, b, levels);
          if (slow === Number.POSITIVE_INFINITY) expect(fast).toBe(slow);
          else expect(Math.abs(fast - slow)).toBeLessThanOrEqual(1e-12 * Math.max(1, slow));
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });
});

describe("_klWindow: the affine search over a histogram of x", () => {
  it("with zero at the first bin (data >= 0) it is TensorRT's one-sided search; at the last, its mirror", () => {
    fc.assert(
      fc.property(arbHistogram(1, 120), fc.integer({ min: 1, max: 24 }), (hist, levels) => {
        const one = _klThreshold(hist, levels);
        const w = _klWindow(hist, levels, 0);
        expect([w.lo, w.hi]).toEqual([0, one.bins]);
        expect(w.divergence).toBe(one.divergence);
        // data <= 0: only the lower end moves (from the first populated bin up), to the least divergence
        const n = hist.length;
        const m = _klWindow(hist, levels, n - 1);
        expect(m.hi).toBe(n);
        const kl = new _KlDivergence(hist);
        for (let a = kl.first; a <= Math.min(n - 1, n - levels); a++)
          expect(kl.divergence(a, n, levels)).toBeGreaterThanOrEqual(m.divergence - 1e-12);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it("over at most 256 bins it is the exhaustive search over every window that holds zero", () => {
    fc.assert(
      fc.property(arbHistogram(2, 90), fc.nat(), fc.integer({ min: 1, max: 16 }), (hist, z, levels) => {
        const zeroBin = z % hist.length;
        const w = _klWindow(hist, levels, zeroBin);
        const best = bestWindow(hist, levels, zeroBin);
        expect(w.lo).toBeLessThanOrEqual(zeroBin);
        expect(w.hi).toBeGreaterThan(zeroBin);
        const kl = new _KlDivergence(hist);
        const [lo, hi] = [Math.min(kl.first, zeroBin), Math.max(kl.end, zeroBin + 1)];
        if (hi - lo <= levels) {
          expect(w).toEqual({ lo, hi, divergence: 0 }); // nothing to clip: the populated range and zero
          return;
        }
        expect(w.divergence).toBe(Math.max(kl.divergence(w.lo, w.hi, levels), 0));
        expect(w.divergence).toBeCloseTo(Math.max(best.divergence, 0), 12);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it("past 256 bins (a coarse grid, then refinement) it finds the exhaustive minimum of a smooth histogram", () => {
    // Expected counts of N(0.5, 1) on [-4.5, 5.5] in 640 bins (stride 3), 64 levels: exhaustive in ~0.3 s.
    const bins = 640;
    const cdf = (x: number) => 0.5 * (1 + erf((x - 0.5) / Math.SQRT2));
    const hist = Array.from(
      { length: bins },
      (_, j) => 1e6 * (cdf(-4.5 + ((j + 1) * 10) / bins) - cdf(-4.5 + (j * 10) / bins)),
    );
    const zeroBin = (4.5 * bins) / 10;
    const w = _klWindow(hist, 64, zeroBin);
    const best = bestWindow(hist, 64, zeroBin);
    expect(w).toEqual(best);
    // the mean is 0.5, so both ends are cut equally far from it: -3.52 .. 4.52 here, 4.02 sigma
    const [lo, hi] = [-4.5 + (w.lo * 10) / bins, -4.5 + (w.hi * 10) / bins];
    expect(Math.abs(0.5 - lo - (hi - 0.5))).toBeLessThan(2 * (10 / bins));
    expect(hi - 0.5).toBeGreaterThan(3);
    expect(hi - 0.5).toBeLessThan(5);
  });
});

/** erf to 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), for expected histogram counts. */
function erf(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const p =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const y = 1 - t * Math.exp(p);
  return x >= 0 ? y : -y;
}

describe("EntropyObserver as an activation observer (affine, PyTorch's 0..127)", () => {
  const act = () => new EntropyObserver({ dtype: "quint8", qscheme: "per_tensor_affine", reduceRange: true });

  it("an exponential's KL threshold is 10/16 of the histogram's range (the literal pseudo-code agrees)", () => {
    // Expected counts (not rounded) of Exp(1) on [0, 16], 512 bins, 64 levels.
    const hist = Array.from(
      { length: 512 },
      (_, j) => 1e6 * (Math.exp((-j * 16) / 512) - Math.exp((-(j + 1) * 16) / 512)),
    );
    const fast = _klThreshold(hist, 64);
    expect(fast.bins).toBe(320); // T = 320 / 512 * 16 = 10 = 0.625 max
    expect(slowKl(hist, 64).bins).toBe(320);
    // a half-normal on [0, 6]: T = 4.51 sigma
    const half = Array.from(
      { length: 512 },
      (_, j) => 1e6 * (erf(((j + 1) * 6) / 512 / Math.SQRT2) - erf((j * 6) / 512 / Math.SQRT2)),
    );
    expect(_klThreshold(half, 64).bins).toBe(385);
    expect(slowKl(half, 64).bins).toBe(385);
  });

  it("non-negative data: TensorRT's search over x with the range's 128 levels, the symmetric search's on |x|", () => {
    // |N(0, 1)| under an affine 0..127 range and N(0, 1) under a symmetric range of 128 levels a side see
    // the same histogram of magnitudes and the same number of levels: the same threshold.
    const x = new Rng(21).fillNormal(new Float32Array(100_000));
    const sym = new EntropyObserver({ dtype: "qint8", qscheme: "per_tensor_symmetric" });
    sym.observe(x);
    const obs = act();
    obs.observe(x.map(Math.abs));
    expect(obs.levels).toBe(128);
    expect(obs.range().maxVal[0]).toBe(sym.range().maxVal[0]);
    expect(obs.range().minVal[0]).toBe(Math.fround(obs.minVal)); // the data's min, as MinMaxObserver's
    expect(obs.divergence).toBe(sym.divergence);
  });

  it("after ReLU: exact zeros are left out, so half the values at 0 do not pull the range in", () => {
    const rng = new Rng(22);
    const positive = rng.fillNormal(new Float32Array(60_000), 0, 3).map(Math.abs);
    const relu = new Float32Array(130_000); // 70,000 zeros (54%, as after the MNIST model's first ReLU)
    relu.set(positive, 35_000);
    relu[0] = -0; // -0 is a zero too
    const without = act();
    without.observe(positive);
    const obs = act();
    obs.observe(relu);
    expect(obs.range().minVal[0]).toBe(0);
    expect(obs.range().maxVal[0]).toBe(without.range().maxVal[0]);
    expect(obs.divergence).toBe(without.divergence);
    expect(obs.histogram().zeros).toBe(70_000);
    expect(obs.histogram().counts.reduce((a, b) => a + b, 0)).toBe(60_000);
    // the range covers the mass: at most 0.1% of the positive values are clipped (with the zeros counted
    // the search stopped at 5.84 of 15.59 and clipped 5.2% of them, seen)
    const t = obs.range().maxVal[0]!;
    expect(positive.filter((v) => v > t).length).toBeLessThanOrEqual(60);
  });

  it("normalized images: the background keeps its code and the bright strokes are not clipped", () => {
    // MNIST-like pixels: 80% background 0, a thin spread, and a saturated peak at 251..255; normalized
    // with MNIST's mean and std, so x crosses zero: background -0.424, white 2.821.
    const counts = new Array<number>(256).fill(0);
    counts[0] = 80_000;
    for (let p = 1; p <= 200; p++) counts[p] = 40;
    for (let p = 201; p <= 250; p++) counts[p] = 100;
    for (let p = 251; p <= 255; p++) counts[p] = 1400;
    const x = new Float32Array(100_000);
    let k = 0;
    for (let p = 0; p < 256; p++) for (let c = 0; c < counts[p]!; c++) x[k++] = (p / 255 - 0.1307) / 0.3081;
    const pixel = (p: number) => Math.fround((p / 255 - 0.1307) / 0.3081);
    const obs = act();
    obs.observe(x);
    expect(obs.levels).toBe(128);
    const { minVal, maxVal } = obs.range();
    expect(minVal[0]).toBe(pixel(0));
    // no more than one of the five saturated values (1.4% of all) is clipped
    expect(maxVal[0]).toBeGreaterThan(pixel(254));
    const full = new EntropyObserver({ dtype: "quint8", qscheme: "per_tensor_affine" });
    full.observe(x);
    expect(full.levels).toBe(256);
    expect(full.range().maxVal[0]).toBeGreaterThanOrEqual(pixel(254));
    // TensorRT's symmetric search on |x| folds the background onto +0.424 and stops just past it,
    // clipping every stroke pixel above it (17% of the values): why affine ranges search x, not |x|
    const sym = new EntropyObserver({ dtype: "qint8", qscheme: "per_tensor_symmetric" });
    sym.observe(x);
    expect(sym.range().maxVal[0]).toBeLessThan(0.43);
  });

  it("data across zero: both tails of a normal are cut near 4 sigma (seen 3.9 to 4.1), for x and for -x", () => {
    const x = new Rng(23).fillNormal(new Float32Array(200_000), 0.5, 1);
    const obs = act();
    obs.observe(x);
    const neg = act();
    neg.observe(x.map((v) => -v));
    let [mn, mx] = [0, 0];
    for (const v of x) [mn, mx] = [Math.min(mn, v), Math.max(mx, v)];
    // -x's range mirrored back. KL is flat near its minimum and TensorRT's level grid (bin j of a window
    // in level floor(j * levels / width)) is not mirror-symmetric, so the two settle on windows whose
    // divergences differ by 0.2% (seen: ends 0.16 and 0.22 apart)
    const { minVal, maxVal } = obs.range();
    const mirrored: [number, number] = [-neg.range().maxVal[0]!, -neg.range().minVal[0]!];
    for (const [lo, hi] of [[minVal[0]!, maxVal[0]!] as const, mirrored]) {
      expect(lo).toBeGreaterThan(mn);
      expect(hi).toBeLessThan(mx);
      expect(0.5 - lo).toBeGreaterThan(3.4);
      expect(0.5 - lo).toBeLessThan(4.2);
      expect(hi - 0.5).toBeGreaterThan(3.4);
      expect(hi - 0.5).toBeLessThan(4.2);
    }
    expect(Math.abs(mirrored[0] - minVal[0]!)).toBeLessThan(0.25);
    expect(Math.abs(mirrored[1] - maxVal[0]!)).toBeLessThan(0.25);
  });

  it("across batches the histogram of x grows both ways, keeps every non-zero value, and the range follows", () => {
    const rng = new Rng(25);
    const obs = act();
    const relu = rng.fillNormal(new Float32Array(40_000)).map((v) => Math.max(v, 0));
    obs.observe(relu); // non-negative: the grid starts at 0
    const first = obs.range();
    expect(first.minVal[0]).toBe(0);
    const wide = rng.fillNormal(new Float32Array(40_000), 1, 3); // crosses zero, wider both ways
    obs.observe(wide);
    const { lo, binWidth, counts, zeros } = obs.histogram();
    const nonZero = [...relu, ...wide].filter((v) => v !== 0).length;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(nonZero);
    expect(zeros).toBe(80_000 - nonZero);
    expect(lo).toBeLessThanOrEqual(obs.minVal);
    expect(lo + counts.length * binWidth).toBeGreaterThanOrEqual(obs.maxVal);
    const { minVal, maxVal } = obs.range();
    expect(minVal[0]).toBeLessThan(-5);
    expect(maxVal[0]).toBeGreaterThan(first.maxVal[0]!);
  });

  it("uniform data across zero is not clipped", () => {
    const obs = act();
    obs.observe(new Rng(24).fillUniform(new Float32Array(100_000), -1, 3));
    const { minVal, maxVal } = obs.range();
    expect(minVal[0]).toBe(Math.fround(obs.minVal));
    expect(maxVal[0]).toBe(Math.fround(obs.maxVal));
  });

  it("scaling x by a power of two scales the range by it exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: -20, max: 20 }),
        fc.boolean(),
        (seed, e, sym) => {
          const rng = new Rng(seed);
          const x = rng.fillNormal(new Float32Array(5000), rng.next() * 2 - 0.5, 1 + rng.next());
          const opts = sym
            ? ({ dtype: "qint8", qscheme: "per_tensor_symmetric" } as const)
            : ({ dtype: "quint8", qscheme: "per_tensor_affine", reduceRange: true } as const);
          const a = new EntropyObserver(opts);
          a.observe(x);
          const b = new EntropyObserver(opts);
          b.observe(x.map((v) => v * 2 ** e));
          expect(b.range().minVal[0]).toBe(a.range().minVal[0]! * 2 ** e);
          expect(b.range().maxVal[0]).toBe(a.range().maxVal[0]! * 2 ** e);
        },
      ),
      { numRuns: 40, seed: 14 },
    );
  });
});
