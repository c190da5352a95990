import { Rng } from "@quantkit/tensor";
import { compareObservers, type ObserverComparisonRow } from "./compareObservers";
import type { ObserverName } from "./createObserver";

/** Options of {@link minMaxVsPercentile}; the defaults are the notebook's. */
export interface MinMaxVsPercentileOptions {
  /** Uniform values. Default 10,000. */
  n?: number;
  /** Their range. Default [-50, 150]. */
  low?: number;
  high?: number;
  /** The outlier appended after them. Default 1000. */
  outlier?: number;
  /** Seed of the `Rng`. Default 0. */
  seed?: number;
  /** Observers in the table. Default minmax, percentile, mse, entropy, histogram, crossentropy. */
  methods?: readonly ObserverName[];
}

/** The experiment's data and its table. */
export interface MinMaxVsPercentileResult {
  /** n uniform values then the outlier. */
  x: Float32Array;
  /** Index of the outlier (the last). */
  outlierIndex: number;
  rows: ObserverComparisonRow[];
}

/**
 * The deck's notebook "min-max vs percentile": 10,000 values uniform in [-50, 150] from a seeded `Rng`
 * plus one outlier at 1000, quantized to 8 bits asymmetric (quint8, per_tensor_affine) with the range of
 * each observer; the MSE of fake quantization over the 10,000 inliers is the figure the notebook compares
 * (it measured 1.39 for min-max and 0.05 for the 99.99th/0.01th percentiles). The entropy observer runs
 * affine here too: KL over the histogram of x with both ends searched and all 256 levels; the
 * cross-entropy observer sees the whole vector as one softmax row.
 *
 * @example
 * const { rows } = minMaxVsPercentile();
 * rows.find((r) => r.method === "minmax")!.mseInliers;     // about 1.41
 * rows.find((r) => r.method === "percentile")!.mseInliers; // about 0.051
 */
export function minMaxVsPercentile(options: MinMaxVsPercentileOptions = {}): MinMaxVsPercentileResult {
  const n = options.n ?? 10_000;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const x = new Float32Array(n + 1);
  new Rng(options.seed ?? 0).fillUniform(x.subarray(0, n), options.low ?? -50, options.high ?? 150);
  x[n] = options.outlier ?? 1000;
  const rows = compareObservers(x, {
    methods: options.methods ?? ["minmax", "percentile", "mse", "entropy", "histogram", "crossentropy"],
    observerOptions: { dtype: "quint8", qscheme: "per_tensor_affine" },
    outliers: [n],
  });
  return { x, outlierIndex: n, rows };
}
