/**
 * Slow, obviously-correct float64 references of every layer (plain loops, no im2col, no GEMM), for
 * the tests: forward answers to compare with, and functions to differentiate numerically.
 */
import type { Rng } from "@quantkit/tensor";
import type { Conv2dGeometry } from "../src/index";

export function linearRef(
  x: Float64Array,
  m: number,
  inF: number,
  w: Float64Array,
  b: Float64Array | null,
): Float64Array {
  const outF = w.length / inF;
  const y = new Float64Array(m * outF);
  for (let i = 0; i < m; i++)
    for (let o = 0; o < outF; o++) {
      let s = b === null ? 0 : b[o]!;
      for (let k = 0; k < inF; k++) s += x[i * inF + k]! * w[o * inF + k]!;
      y[i * outF + o] = s;
    }
  return y;
}

export function conv2dRef(
  x: Float64Array,
  shapeArg: readonly number[],
  w: Float64Array,
  b: Float64Array | null,
  g: Conv2dGeometry,
): { y: Float64Array; shape: number[] } {
  const [n, c, h, wd] = shapeArg as [number, number, number, number];
  const outH = Math.floor((h + g.padTop + g.padBottom - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1;
  const outW = Math.floor((wd + g.padLeft + g.padRight - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1;
  const cg = c / g.groups;
  const og = g.outChannels / g.groups;
  const y = new Float64Array(n * g.outChannels * outH * outW);
  for (let img = 0; img < n; img++)
    for (let o = 0; o < g.outChannels; o++) {
      const grp = Math.floor(o / og);
      for (let oh = 0; oh < outH; oh++)
        for (let ow = 0; ow < outW; ow++) {
          let s = b === null ? 0 : b[o]!;
          for (let ci = 0; ci < cg; ci++)
            for (let i = 0; i < g.kernelH; i++)
              for (let j = 0; j < g.kernelW; j++) {
                const ih = oh * g.strideH - g.padTop + i * g.dilationH;
                const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                s +=
                  x[((img * c + grp * cg + ci) * h + ih) * wd + iw]! *
                  w[((o * cg + ci) * g.kernelH + i) * g.kernelW + j]!;
              }
          y[((img * g.outChannels + o) * outH + oh) * outW + ow] = s;
        }
    }
  return { y, shape: [n, g.outChannels, outH, outW] };
}

export function maxPoolRef(
  x: Float64Array,
  shapeArg: readonly number[],
  k: number,
  s: number,
  p: number,
  d: number,
  outH: number,
  outW: number,
): Float64Array {
  const [n, c, h, w] = shapeArg as [number, number, number, number];
  const y = new Float64Array(n * c * outH * outW);
  for (let plane = 0; plane < n * c; plane++)
    for (let oh = 0; oh < outH; oh++)
      for (let ow = 0; ow < outW; ow++) {
        let best = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < k; i++)
          for (let j = 0; j < k; j++) {
            const ih = oh * s - p + i * d;
            const iw = ow * s - p + j * d;
            if (ih >= 0 && ih < h && iw >= 0 && iw < w) best = Math.max(best, x[(plane * h + ih) * w + iw]!);
          }
        y[(plane * outH + oh) * outW + ow] = best;
      }
  return y;
}

export function batchNormRef(
  x: Float64Array,
  shapeArg: readonly number[],
  gamma: Float64Array,
  beta: Float64Array,
  eps: number,
  stats?: { mean: Float64Array; variance: Float64Array },
): Float64Array {
  const [n, c, h, w] = shapeArg as [number, number, number, number];
  const y = new Float64Array(x.length);
  for (let ch = 0; ch < c; ch++) {
    let mean = 0;
    let variance = 0;
    if (stats === undefined) {
      const vals: number[] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < h * w; j++) vals.push(x[(i * c + ch) * h * w + j]!);
      mean = vals.reduce((a, v) => a + v, 0) / vals.length;
      variance = vals.reduce((a, v) => a + (v - mean) ** 2, 0) / vals.length;
    } else {
      mean = stats.mean[ch]!;
      variance = stats.variance[ch]!;
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < h * w; j++) {
        const at = (i * c + ch) * h * w + j;
        y[at] = ((x[at]! - mean) / Math.sqrt(variance + eps)) * gamma[ch]! + beta[ch]!;
      }
  }
  return y;
}

export function crossEntropyRef(
  z: Float64Array,
  n: number,
  c: number,
  target: number[],
  smoothing = 0,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(z.subarray(i * c, (i + 1) * c));
    const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
    for (let j = 0; j < c; j++) {
      const q = (j === target[i] ? 1 - smoothing : 0) + smoothing / c;
      total += q * (lse - row[j]!);
    }
  }
  return total / n;
}

/** Central differences of a float64 function: (f(v + h e_i) - f(v - h e_i)) / 2h for every i. */
export function numericGrad(f: (v: Float64Array) => number, v: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const saved = v[i]!;
    v[i] = saved + h;
    const up = f(v);
    v[i] = saved - h;
    const down = f(v);
    v[i] = saved;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** sum(r * y): a scalar whose gradient with respect to y is r. */
export function dot(r: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += r[i]! * y[i]!;
  return s;
}

/** max |a - b| / max(1, |b|) */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return e;
}

export const f64 = (a: ArrayLike<number>) => Float64Array.from(a);

// Every backward is checked against central differences of an independent float64 reference
// (plain loops), so the numerical gradient is accurate to ~1e-9 and the tolerance only has to
// absorb the layers' float32 storage.
export const TOL = 2e-4;

/** n normal samples (mean 0, standard deviation `scale`) from a seeded Rng. */
export function randn(n: number, rng: Rng, scale = 1): Float32Array {
  return rng.fillNormal(new Float32Array(n), 0, scale);
}
