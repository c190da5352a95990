import { fakeQuantize, mse, sqnr } from "@quantkit/quantizers";
import { type AnyObserverOptions, createObserver, type ObserverName } from "./createObserver";

/** One row of {@link compareObservers}: the range an observer picked and what it costs. */
export interface ObserverComparisonRow {
  /** The observer's factory name ("minmax", "percentile", ...). */
  method: ObserverName;
  /** Its class name ("MinMaxObserver", ...). */
  observer: string;
  minVal: number;
  maxVal: number;
  scale: number;
  zeroPoint: number;
  /** MSE of fakeQuantize(x) against x over the values not marked as outliers. */
  mseInliers: number;
  /** MSE over the values marked as outliers (NaN when none are marked). */
  mseOutliers: number;
  /** MSE over all values. */
  mseAll: number;
  /** SQNR in dB over the inliers. */
  sqnrInliersDb: number;
  /** Milliseconds spent in observe + calculateQParams. */
  ms: number;
}

/** Options of {@link compareObservers}. */
export interface CompareObserversOptions {
  /** The observers to compare, by factory name. Default minmax, percentile, mse, entropy, histogram, crossentropy. */
  methods?: readonly ObserverName[];
  /** Options handed to every observer (dtype, qscheme, percentile, ...). Default 8-bit asymmetric (quint8). */
  observerOptions?: AnyObserverOptions;
  /** Per-method option overrides. */
  perMethod?: Partial<Record<ObserverName, AnyObserverOptions>>;
  /** Indices of x counted as outliers (excluded from `mseInliers`). */
  outliers?: readonly number[];
  /** The tensor's shape (for softmax rows and per-channel observers). Default [x.length]. */
  shape?: readonly number[];
}

/**
 * Runs several observers on the same tensor and measures, for the range each picks, the error of
 * fake quantization (`fakeQuantize` and `mse` / `sqnr` of @quantkit/quantizers) over the inliers, the
 * outliers and everything: the table behind the deck's "min-max vs percentile" comparison.
 *
 * @example
 * const x = new Float32Array([-1, 0, 0.5, 1, 40]);
 * const rows = compareObservers(x, { methods: ["minmax", "percentile"], outliers: [4], perMethod: { percentile: { percentile: 75 } } });
 * rows.map((r) => r.maxVal); // [40, 1]
 */
export function compareObservers(
  x: Float32Array,
  options: CompareObserversOptions = {},
): ObserverComparisonRow[] {
  const methods = options.methods ?? ["minmax", "percentile", "mse", "entropy", "histogram", "crossentropy"];
  const shape = options.shape ?? [x.length];
  const isOutlier = new Uint8Array(x.length);
  for (const i of options.outliers ?? []) {
    if (!Number.isInteger(i) || i < 0 || i >= x.length) {
      throw new RangeError(`outliers must hold indices in 0..${x.length - 1}, got ${i}`);
    }
    isOutlier[i] = 1;
  }
  const rows: ObserverComparisonRow[] = [];
  for (const method of methods) {
    const t0 = performance.now();
    const obs = createObserver(method, { ...options.observerOptions, ...options.perMethod?.[method] });
    obs.observe(x, shape);
    const qparams = obs.calculateQParams();
    const ms = performance.now() - t0;
    const { minVal, maxVal } = obs.range();
    const y = fakeQuantize(x, shape, qparams);
    const [xi, yi, xo, yo] = split(x, y, isOutlier);
    rows.push({
      method,
      observer: obs.name,
      minVal: minVal[0]!,
      maxVal: maxVal[0]!,
      scale: qparams.scale[0]!,
      zeroPoint: qparams.zeroPoint[0]!,
      mseInliers: xi.length > 0 ? mse(xi, yi) : Number.NaN,
      mseOutliers: xo.length > 0 ? mse(xo, yo) : Number.NaN,
      mseAll: mse(x, y),
      sqnrInliersDb: xi.length > 0 ? sqnr(xi, yi) : Number.NaN,
      ms,
    });
  }
  return rows;
}

function split(
  x: Float32Array,
  y: Float32Array,
  isOutlier: Uint8Array,
): [Float32Array, Float32Array, Float32Array, Float32Array] {
  let nOut = 0;
  for (let i = 0; i < x.length; i++) nOut += isOutlier[i]!;
  const xi = new Float32Array(x.length - nOut);
  const yi = new Float32Array(x.length - nOut);
  const xo = new Float32Array(nOut);
  const yo = new Float32Array(nOut);
  let a = 0;
  let b = 0;
  for (let i = 0; i < x.length; i++) {
    if (isOutlier[i]) {
      xo[b] = x[i]!;
      yo[b++] = y[i]!;
    } else {
      xi[a] = x[i]!;
      yi[a++] = y[i]!;
    }
  }
  return [xi, yi, xo, yo];
}

/**
 * Formats rows of {@link compareObservers} as an aligned text table (what the examples print).
 *
 * @example
 * console.log(formatObserverComparison(compareObservers(new Float32Array([0, 1, 2]), { methods: ["minmax"] })));
 */
export function formatObserverComparison(rows: readonly ObserverComparisonRow[]): string {
  const header = [
    "method",
    "observer",
    "min",
    "max",
    "scale",
    "zero",
    "MSE inliers",
    "MSE outliers",
    "MSE all",
    "SQNR dB",
    "ms",
  ];
  const body = rows.map((r) => [
    r.method,
    r.observer,
    r.minVal.toFixed(3),
    r.maxVal.toFixed(3),
    r.scale.toPrecision(5),
    String(r.zeroPoint),
    r.mseInliers.toFixed(4),
    Number.isNaN(r.mseOutliers) ? "-" : r.mseOutliers.toFixed(1),
    r.mseAll.toFixed(4),
    r.sqnrInliersDb.toFixed(2),
    r.ms.toFixed(1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((s, c) => (c < 2 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
