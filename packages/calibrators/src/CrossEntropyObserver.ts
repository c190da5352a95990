import { calculateQParams, isSymmetric, roundHalfToEven } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { _searchSettings } from "./_mseOptions";
import { _ObserverBase } from "./_observerBase";
import { _searchClipRange } from "./_rangeSearch";
import { _minMax } from "./_scan";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link CrossEntropyObserver}. */
export interface CrossEntropyObserverOptions extends ObserverOptions {
  /** The axis softmax runs along; negative counts from the end. Default -1 (the last axis, logits). */
  axis?: number;
  /** Coarse grid points per side of the range search (resolution 1/gridSize^2). Default 10. */
  gridSize?: number;
  /** Values kept in the row sample the cross-entropy is measured on. Default 16,384. */
  maxSamples?: number;
  /** Seed of the reservoir sampling of rows. Default 0. */
  seed?: number;
}

const f32 = Math.fround;

/**
 * The deck's cross-entropy range, for tensors that feed a softmax (logits, attention scores), where the
 * largest values matter most: the clipping range minimizing the mean over rows of
 * CrossEntropy(softmax(v), softmax(v_hat)) = -sum_j softmax(v)_j log softmax(v_hat)_j, with v a row along
 * `axis` (default the last) and v_hat its fake-quantized copy under the candidate's scale and zero
 * point (from `calculateQParams`).
 *
 * Rows are kept by reservoir sampling (seeded, uniform over all rows seen, about `maxSamples` values in
 * all), so memory and the cost of a candidate stay bounded over any number of batches; a single row
 * longer than `maxSamples` is represented by `maxSamples` evenly spaced elements of it. The exact min and
 * max are tracked over everything. Candidates: [minNeg * a, maxPos * b] on a coarse grid refined to 1/gridSize^2 (symmetric
 * qschemes: [-m a, m a]), as {@link MseObserver}.
 *
 * @example
 * const obs = new CrossEntropyObserver();
 * const logits = new Float32Array(64 * 100).map((_, i) => Math.sin(i * 12.9898) * 4);
 * obs.observe(logits, [64, 100]); // 64 rows of 100 logits
 * obs.crossEntropy; // NaN until range() or calculateQParams() ran
 * obs.calculateQParams();
 */
export class CrossEntropyObserver extends _ObserverBase {
  readonly axis: number;
  readonly gridSize: number;
  readonly maxSamples: number;
  readonly seed: number;
  /** The observed minimum and maximum (exact). */
  minVal = Number.POSITIVE_INFINITY;
  maxVal = Number.NEGATIVE_INFINITY;
  private rows: Float32Array[] = [];
  private rowsSeen = 0;
  private capacity = 0;
  private rng: Rng;
  private lastCrossEntropy = Number.NaN;

  constructor(options: CrossEntropyObserverOptions = {}) {
    super("CrossEntropyObserver", options, {
      dtype: "quint8",
      qscheme: "per_tensor_affine",
      kind: "per_tensor",
      keys: ["axis", "gridSize", "maxSamples", "seed"],
    });
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis))
      throw new TypeError(`${this.name}: axis must be an integer, got ${String(axis)}`);
    this.axis = axis;
    this.gridSize = _searchSettings(this.name, options, { gridSize: 10, bins: 2 }).gridSize;
    const maxSamples = options.maxSamples ?? 16_384;
    if (!Number.isInteger(maxSamples) || maxSamples < 1) {
      throw new RangeError(`${this.name}: maxSamples must be a positive integer, got ${String(maxSamples)}`);
    }
    this.maxSamples = maxSamples;
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed))
      throw new TypeError(`${this.name}: seed must be an integer, got ${String(seed)}`);
    this.seed = seed;
    this.rng = new Rng(seed);
  }

  /** Rows in the sample. */
  get sampledRows(): number {
    return this.rows.length;
  }

  /** Mean cross-entropy per row at the chosen range (after range() or calculateQParams()). */
  get crossEntropy(): number {
    return this.lastCrossEntropy;
  }

  protected observeBatch(x: Float32Array, shape: readonly number[]): void {
    const { min, max, firstBad } = _minMax(x);
    if (firstBad >= 0) this.throwNonFinite(x, firstBad);
    const { outer, channels: len, inner } = this.resolveAxis(this.axis, shape, "axis");
    if (len === 0) return;
    if (this.capacity === 0) this.capacity = Math.max(1, Math.floor(this.maxSamples / len));
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        // Algorithm R over rows: row t (0-based) replaces a random kept row with probability capacity / (t + 1).
        const t = this.rowsSeen++;
        let slot = -1;
        if (this.rows.length < this.capacity) slot = this.rows.length;
        else {
          const r = this.rng.int(t + 1);
          if (r < this.capacity) slot = r;
        }
        if (slot < 0) continue;
        // A row longer than maxSamples is represented by maxSamples evenly spaced elements of it.
        const keep = Math.min(len, this.maxSamples);
        const row = new Float32Array(keep);
        const base = o * len * inner + i;
        for (let k = 0; k < keep; k++) row[k] = x[base + Math.floor((k * len) / keep) * inner]!;
        this.rows[slot] = row;
      }
    }
    if (min < this.minVal) this.minVal = min;
    if (max > this.maxVal) this.maxVal = max;
  }

  protected computeRange(): ObserverRange {
    const probs = this.rows.map(softmax);
    const { quantMin, quantMax, qparamsOptions, rows } = this;
    const cost = (lo: number, hi: number) => {
      const q = calculateQParams(f32(lo), f32(hi), qparamsOptions);
      return _meanCrossEntropy(rows, probs, q.scale[0]!, q.zeroPoint[0]!, quantMin, quantMax);
    };
    const r = _searchClipRange(
      Math.min(this.minVal, 0),
      Math.max(this.maxVal, 0),
      isSymmetric(this.qscheme),
      this.gridSize,
      cost,
    );
    this.lastCrossEntropy = r.cost;
    return { minVal: Float32Array.of(f32(r.lo)), maxVal: Float32Array.of(f32(r.hi)) };
  }

  protected resetState(): void {
    this.rows = [];
    this.rowsSeen = 0;
    this.capacity = 0;
    this.rng = new Rng(this.seed);
    this.minVal = Number.POSITIVE_INFINITY;
    this.maxVal = Number.NEGATIVE_INFINITY;
    this.lastCrossEntropy = Number.NaN;
  }
}

/** softmax of a row in float64, max-shifted. */
function softmax(v: Float32Array): Float64Array {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < v.length; j++) if (v[j]! > m) m = v[j]!;
  const p = new Float64Array(v.length);
  let s = 0;
  for (let j = 0; j < v.length; j++) s += p[j] = Math.exp(v[j]! - m);
  for (let j = 0; j < v.length; j++) p[j]! /= s;
  return p;
}

/**
 * Mean over rows of CrossEntropy(p, softmax(fakeQuantize(v))) = -sum_j p_j (v_hat_j - logsumexp(v_hat)),
 * with v_hat_j = (clamp(round(v_j / scale) + zeroPoint, quantMin, quantMax) - zeroPoint) * scale.
 */
export function _meanCrossEntropy(
  rows: readonly Float32Array[],
  probs: readonly Float64Array[],
  scale: number,
  zeroPoint: number,
  quantMin: number,
  quantMax: number,
): number {
  let total = 0;
  let buf = new Float64Array(0);
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r]!;
    const p = probs[r]!;
    if (buf.length < v.length) buf = new Float64Array(v.length);
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < v.length; j++) {
      let q = roundHalfToEven(v[j]! / scale) + zeroPoint;
      q = q < quantMin ? quantMin : Math.min(q, quantMax);
      const vh = (q - zeroPoint) * scale;
      buf[j] = vh;
      if (vh > m) m = vh;
    }
    let s = 0;
    let pv = 0;
    for (let j = 0; j < v.length; j++) {
      s += Math.exp(buf[j]! - m);
      pv += p[j]! * buf[j]!;
    }
    total += m + Math.log(s) - pv; // -sum p (vh - lse), with sum p = 1
  }
  return rows.length > 0 ? total / rows.length : 0;
}
