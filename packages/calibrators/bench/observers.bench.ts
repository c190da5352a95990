/**
 * Observer benchmark: each observer over 1M and 16M float32 values (one batch), time of observe +
 * calculateQParams (warm-up, repetitions, median with min and max) and the error of the range it picks
 * (MSE and SQNR of fakeQuantize(x) against x). Ratios to MinMaxObserver are taken in the same run.
 * The cross-entropy observer sees the data as rows of 1024 logits, the per-channel ones as 1024 channels;
 * a per-channel row reports the widest channel range.
 *
 *   NODE_OPTIONS=--expose-gc npx tsx --conditions=@quantkit/source packages/calibrators/bench/observers.bench.ts [--sizes 1M,16M] [--repeats 5] [--json]
 *
 * Data: normal(0, 1) from a seeded Rng with one value in 10,000 replaced by an outlier uniform in
 * ±[8, 16], the shape of activations with rare spikes.
 */
import { pathToFileURL } from "node:url";
import { fakeQuantize, mse, sqnr } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { createObserver, type Observer, type ObserverName } from "../src/index";

/** One row of {@link benchObservers}. */
export interface ObserverBenchResult {
  method: ObserverName;
  observer: string;
  n: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Million values a second at the median time. */
  mValuesPerS: number;
  /** Median time over MinMaxObserver's median at the same n, same run. */
  ratioToMinMax: number;
  /** Fastest time over MinMaxObserver's fastest (less sensitive to a loaded machine). */
  minRatioToMinMax: number;
  minVal: number;
  maxVal: number;
  /** MSE of fakeQuantize(x) with the observer's qparams against x. */
  mse: number;
  sqnrDb: number;
}

/** Options of {@link benchObservers}. */
export interface BenchObserversOptions {
  /** Tensor sizes. Default [2^20, 2^24]. */
  sizes?: readonly number[];
  /** Observers, by factory name. Default every per-tensor one. */
  methods?: readonly ObserverName[];
  /** Timed repetitions (after one warm-up). Default 5. */
  repeats?: number;
  seed?: number;
  /** Called after each measurement (for progress output). */
  onProgress?: (r: ObserverBenchResult) => void;
}

/** The observers {@link benchObservers} measures when `methods` is not given (apps/bench reads it too). */
export const DEFAULT_METHODS: readonly ObserverName[] = [
  "minmax",
  "moving_average_minmax",
  "percentile",
  "histogram",
  "mse",
  "entropy",
  "crossentropy",
  "per_channel_minmax",
  "per_channel_percentile",
  "per_channel_mse",
];

/**
 * The shape an observer sees: rows of 1024 logits for the softmax observer, 1024 channels (axis 0) for
 * the per-channel ones, one flat batch otherwise.
 */
export function benchShape(method: ObserverName, n: number): number[] {
  if (n % 1024 !== 0) return [n];
  if (method === "crossentropy") return [n / 1024, 1024];
  if (method.includes("per_channel")) return [1024, n / 1024];
  return [n];
}

/** Builds the benchmark's data: normal(0, 1) with rare outliers. */
export function benchData(n: number, seed = 0): Float32Array {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n));
  for (let i = 0; i < n; i += 10_000) {
    const k = i + rng.int(Math.min(10_000, n - i));
    x[k] = (rng.next() < 0.5 ? -1 : 1) * rng.uniform(8, 16);
  }
  return x;
}

/**
 * Measures every observer at every size; see the file comment. Repetitions go round-robin over the
 * observers (one warm-up round first), so that JIT state and machine load fall on all of them alike.
 */
export async function benchObservers(options: BenchObserversOptions = {}): Promise<ObserverBenchResult[]> {
  const sizes = options.sizes ?? [2 ** 20, 2 ** 24];
  const methods = options.methods ?? DEFAULT_METHODS;
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new RangeError(`repeats must be a positive integer, got ${repeats}`);
  const results: ObserverBenchResult[] = [];
  for (const n of sizes) {
    const x = benchData(n, options.seed ?? 0);
    const times = methods.map(() => [] as number[]);
    const last = new Array<Observer | undefined>(methods.length);
    for (let r = 0; r <= repeats; r++) {
      for (const [m, method] of methods.entries()) {
        const shape = benchShape(method, n);
        const obs = createObserver(method);
        // With node --expose-gc, collect before each measurement so no observer pays for another's garbage.
        (globalThis as { gc?: () => void }).gc?.();
        const t0 = performance.now();
        obs.observe(x, shape);
        obs.calculateQParams();
        const dt = performance.now() - t0;
        if (r > 0) times[m]!.push(dt); // round 0 is the warm-up
        last[m] = obs;
        await new Promise((resolve) => setImmediate(resolve)); // let Ctrl-C and progress through
      }
    }
    const rows: ObserverBenchResult[] = [];
    for (const [m, method] of methods.entries()) {
      const t = times[m]!.sort((a, b) => a - b);
      const median = t[Math.floor(t.length / 2)]!;
      const obs = last[m]!;
      const qparams = obs.calculateQParams();
      const { minVal, maxVal } = obs.range();
      let lo = minVal[0]!;
      let hi = maxVal[0]!;
      for (let c = 1; c < minVal.length; c++) {
        lo = Math.min(lo, minVal[c]!);
        hi = Math.max(hi, maxVal[c]!);
      }
      const y = fakeQuantize(x, benchShape(method, n), qparams);
      const row: ObserverBenchResult = {
        method,
        observer: obs.name,
        n,
        medianMs: median,
        minMs: t[0]!,
        maxMs: t[t.length - 1]!,
        mValuesPerS: n / median / 1000,
        ratioToMinMax: Number.NaN,
        minRatioToMinMax: Number.NaN,
        minVal: lo,
        maxVal: hi,
        mse: mse(x, y),
        sqnrDb: sqnr(x, y),
      };
      rows.push(row);
      options.onProgress?.(row);
    }
    const base = rows.find((r) => r.method === "minmax");
    for (const r of rows) {
      r.ratioToMinMax = base ? r.medianMs / base.medianMs : Number.NaN;
      r.minRatioToMinMax = base ? r.minMs / base.minMs : Number.NaN;
    }
    results.push(...rows);
  }
  return results;
}

/** Formats results as a text table. */
export function formatObserverBench(results: readonly ObserverBenchResult[]): string {
  const header = [
    "observer",
    "n",
    "median ms",
    "min",
    "max",
    "Mval/s",
    "x minmax",
    "x minmax (fastest)",
    "range",
    "MSE",
    "SQNR dB",
  ];
  const body = results.map((r) => [
    r.observer,
    r.n >= 2 ** 20 ? `${r.n / 2 ** 20}M` : String(r.n),
    r.medianMs.toFixed(1),
    r.minMs.toFixed(1),
    r.maxMs.toFixed(1),
    r.mValuesPerS.toFixed(0),
    r.ratioToMinMax.toFixed(2),
    r.minRatioToMinMax.toFixed(2),
    `[${r.minVal.toFixed(2)}, ${r.maxVal.toFixed(2)}]`,
    r.mse.toExponential(3),
    r.sqnrDb.toFixed(2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new RangeError(`a size is a number with an optional k/M suffix, got "${s}"`);
  const mult = m[2] === "" ? 1 : m[2]!.toLowerCase() === "k" ? 2 ** 10 : 2 ** 20;
  return Math.round(Number(m[1]) * mult);
}

// Run as a script (not when imported, nor when bundled into a file of another name).
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  import.meta.url.includes("observers.bench")
) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const sizes = arg("--sizes")?.split(",").map(parseSize);
  const repeats = arg("--repeats") === undefined ? undefined : Number(arg("--repeats"));
  const results = await benchObservers({
    ...(sizes ? { sizes } : {}),
    ...(repeats ? { repeats } : {}),
    onProgress: (r) => process.stderr.write(`  ${r.observer} n=${r.n}: ${r.medianMs.toFixed(1)} ms\n`),
  });
  if (process.argv.includes("--json")) console.log(JSON.stringify(results, null, 2));
  else console.log(`node ${process.version}, ${new Date().toISOString()}\n${formatObserverBench(results)}`);
}
