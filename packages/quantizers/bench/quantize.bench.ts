// Throughput of the quantizers' hot paths next to a plain copy of the same array, in the same run.
//   tsx --conditions=@quantkit/source packages/quantizers/bench/quantize.bench.ts [--n 16777216] [--repeats 9]
// Each case: warm-up runs, then `repeats` timed runs; median, min and max in ms and M values/s. The copy
// (Float32Array.prototype.set into a preallocated array) is the memory-bound limit the goal
// refers to; it is timed right before every timed run of every case and "x copy" is the median of the
// per-run ratios, so the ratio holds even when other processes load the machine. `slice` (which also
// allocates and faults in 4n fresh bytes, as every function that returns a new array does) is shown too.
import { pathToFileURL } from "node:url";
import { Rng } from "@quantkit/tensor";
import { _setSimdEnabled } from "../src/_simd";
import {
  calculateGroupQParams,
  calculateQParams,
  dequantize,
  fakeQuantize,
  fakeQuantizePerTensorAffine,
  fakeQuantizeWithMask,
  quantize,
  quantizePerChannel,
  quantizePerTensor,
} from "../src/index";

/** One measured case. */
export interface QuantizeBenchResult {
  name: string;
  /** Values processed per run. */
  values: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Million values per second at the median time. */
  mValuesPerSec: number;
  /**
   * Throughput relative to `Float32Array.prototype.set` of the same array: the median over the timed
   * runs of (copy time / case time), each copy timed right before the case.
   */
  ratioToCopy: number;
  /** "wasm-simd" or "js" for the cases where quantkit picks a kernel. */
  kernel?: string;
}

/** Options of {@link benchQuantize}. */
export interface QuantizeBenchOptions {
  /** Values per tensor; default 16M (2^24), a 4096 x 4096 matrix. Must be a multiple of 4096. */
  n?: number;
  /** Timed runs per case (default 9) after `warmup` untimed ones (default 2). */
  repeats?: number;
  warmup?: number;
  /** Called after each case (progress in a terminal). */
  onResult?: (result: QuantizeBenchResult) => void;
}

/**
 * Times `fn` `repeats` times after `warmup` untimed runs; each timed run is preceded by a timed copy
 * (`baseline`), so that the ratio to the copy is taken in the same moment even on a busy machine.
 */
function time(
  fn: () => unknown,
  baseline: () => unknown,
  repeats: number,
  warmup: number,
): { median: number; min: number; max: number; ratio: number } {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = performance.now();
    baseline();
    const t0 = performance.now();
    fn();
    const t1 = performance.now();
    ts.push(t1 - t0);
    ratios.push((t0 - c0) / (t1 - t0));
  }
  ts.sort((a, b) => a - b);
  ratios.sort((a, b) => a - b);
  const mid = Math.floor(repeats / 2);
  return { median: ts[mid]!, min: ts[0]!, max: ts[ts.length - 1]!, ratio: ratios[mid]! };
}

/**
 * Measures quantizePerTensor (quint8, with the WebAssembly SIMD kernel and with the JS kernel),
 * quantize / dequantize / fakeQuantize per tensor, per channel (axis 0 and axis 1) and per group, and
 * fakeQuantizeWithMask, each next to Float32Array copies of the same data in the same run.
 *
 * @example
 * const results = await benchQuantize({ n: 1 << 20, repeats: 5 });
 * results.find((r) => r.name.startsWith("quantizePerTensor"))?.ratioToCopy // e.g. 0.35
 */
export async function benchQuantize(options: QuantizeBenchOptions = {}): Promise<QuantizeBenchResult[]> {
  const n = options.n ?? 1 << 24;
  const repeats = options.repeats ?? 9;
  const warmup = options.warmup ?? 2;
  if (!Number.isInteger(n) || n <= 0 || n % 4096 !== 0)
    throw new RangeError(`n must be a positive multiple of 4096, got ${n}`);
  const rows = n / 4096;
  const shape = [rows, 4096];
  const x = new Rng(42).fillUniform(new Float32Array(n), -50, 150);
  const copy = new Float32Array(n);
  const results: QuantizeBenchResult[] = [];
  const baseline = () => copy.set(x);
  const add = async (name: string, fn: () => unknown, kernel?: string): Promise<void> => {
    const t = time(fn, baseline, repeats, warmup);
    const result: QuantizeBenchResult = {
      name,
      values: n,
      medianMs: t.median,
      minMs: t.min,
      maxMs: t.max,
      mValuesPerSec: n / t.median / 1e3,
      ratioToCopy: t.ratio,
    };
    if (kernel !== undefined) result.kernel = kernel;
    results.push(result);
    options.onResult?.(result);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let a progress display update
  };

  const perTensor = calculateQParams(-50, 150); // quint8 affine
  const scale = perTensor.scale[0]!;
  const zeroPoint = perTensor.zeroPoint[0]!;
  const rowMin = new Float32Array(rows).fill(-50);
  const rowMax = new Float32Array(rows).fill(150);
  const perRow = calculateQParams(rowMin, rowMax, {
    dtype: "qint8",
    qscheme: "per_channel_symmetric",
    axis: 0,
  });
  const colMin = new Float32Array(4096).fill(-50);
  const colMax = new Float32Array(4096).fill(150);
  const perCol = calculateQParams(colMin, colMax, {
    dtype: "qint8",
    qscheme: "per_channel_symmetric",
    axis: 1,
  });
  const perGroup = calculateGroupQParams(x, shape, {
    axis: 1,
    groupSize: 128,
    dtype: "qint4",
    qscheme: "per_channel_symmetric",
  });
  const simd = _setSimdEnabled(true);
  const kernel = simd ? "wasm-simd" : "js";

  await add("copy: Float32Array.prototype.set", () => copy.set(x));
  await add("copy: Float32Array.prototype.slice", () => x.slice());
  await add("quantizePerTensor quint8", () => quantizePerTensor(x, scale, zeroPoint, "quint8"), kernel);
  _setSimdEnabled(false);
  await add(
    "quantizePerTensor quint8 (JS kernel)",
    () => quantizePerTensor(x, scale, zeroPoint, "quint8"),
    "js",
  );
  _setSimdEnabled(true);
  await add("copy: Float32Array.prototype.set", () => copy.set(x));
  const codes = quantize(x, shape, perTensor);
  const rowCodes = quantize(x, shape, perRow);
  const colCodes = quantize(x, shape, perCol);
  const u8 = new Uint8Array(n);
  const f32 = new Float32Array(n);
  await add("quantize per tensor quint8", () => quantize(x, shape, perTensor), kernel);
  await add(
    "quantize per tensor quint8, into options.out",
    () => quantize(x, shape, perTensor, { out: u8 }),
    kernel,
  );
  _setSimdEnabled(false);
  await add(
    "quantize per tensor quint8, into options.out (JS kernel)",
    () => quantize(x, shape, perTensor, { out: u8 }),
    "js",
  );
  _setSimdEnabled(true);
  await add(
    "quantizePerChannel qint8 axis 0 (4096-long rows)",
    () => quantizePerChannel(x, shape, perRow.scale, perRow.zeroPoint, 0, "qint8"),
    kernel,
  );
  await add("quantize per channel qint8 axis 1 (scale per column)", () => quantize(x, shape, perCol), "js");
  await add(
    "quantize per group qint4 (groupSize 128 along axis 1)",
    () => quantize(x, shape, perGroup),
    "js",
  );
  await add("dequantize per tensor quint8", () => dequantize(codes, shape, perTensor), "js");
  await add(
    "dequantize per tensor quint8, into options.out",
    () => dequantize(codes, shape, perTensor, { out: f32 }),
    "js",
  );
  await add("dequantize per channel qint8 axis 0", () => dequantize(rowCodes, shape, perRow), "js");
  await add("dequantize per channel qint8 axis 1", () => dequantize(colCodes, shape, perCol), "js");
  await add(
    "fakeQuantizePerTensorAffine quint8",
    () => fakeQuantizePerTensorAffine(x, scale, zeroPoint, 0, 255),
    kernel,
  );
  await add("fakeQuantize per tensor quint8", () => fakeQuantize(x, shape, perTensor), kernel);
  await add(
    "fakeQuantize per tensor quint8, into options.out",
    () => fakeQuantize(x, shape, perTensor, { out: f32 }),
    kernel,
  );
  await add(
    "fakeQuantizeWithMask per tensor quint8",
    () => fakeQuantizeWithMask(x, shape, perTensor),
    kernel,
  );
  await add(
    "fakeQuantizeWithMask per tensor quint8, into out + mask",
    () => fakeQuantizeWithMask(x, shape, perTensor, { out: f32, mask: u8 }),
    kernel,
  );
  _setSimdEnabled(false);
  await add(
    "fakeQuantizeWithMask per tensor quint8 (JS kernel)",
    () => fakeQuantizeWithMask(x, shape, perTensor),
    "js",
  );
  _setSimdEnabled(true);
  await add("fakeQuantize per channel qint8 axis 0", () => fakeQuantize(x, shape, perRow), kernel);
  await add("fakeQuantize per channel qint8 axis 1", () => fakeQuantize(x, shape, perCol), "js");
  await add(
    "fakeQuantize per channel qint8 axis 1, into options.out",
    () => fakeQuantize(x, shape, perCol, { out: f32 }),
    "js",
  );
  await add("copy: Float32Array.prototype.set", () => copy.set(x));
  return results;
}

/** The results as a fixed-width text table. */
export function formatQuantizeBench(results: QuantizeBenchResult[]): string {
  const lines = [
    `${"case".padEnd(60)} ${"median ms".padStart(10)} ${"min".padStart(8)} ${"max".padStart(8)} ${"M values/s".padStart(11)} ${"x copy".padStart(7)}  kernel`,
  ];
  for (const r of results) {
    lines.push(
      `${r.name.padEnd(60)} ${r.medianMs.toFixed(2).padStart(10)} ${r.minMs.toFixed(2).padStart(8)} ${r.maxMs
        .toFixed(2)
        .padStart(
          8,
        )} ${r.mValuesPerSec.toFixed(0).padStart(11)} ${r.ratioToCopy.toFixed(2).padStart(7)}  ${r.kernel ?? ""}`,
    );
  }
  return lines.join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag: string): number | undefined => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const n = arg("--n") ?? 1 << 24;
  const repeats = arg("--repeats") ?? 9;
  console.log(
    `quantizers benchmark: ${n} float32 values (${n / 4096} x 4096), ${repeats} timed runs per case, Node ${process.version}`,
  );
  let done = 0;
  const results = await benchQuantize({
    n,
    repeats,
    onResult: (r) => {
      done++;
      process.stderr.write(`\r  ${done} cases measured (${r.name})`.padEnd(100).slice(0, 100));
    },
  });
  process.stderr.write("\n");
  console.log(formatQuantizeBench(results));
}
