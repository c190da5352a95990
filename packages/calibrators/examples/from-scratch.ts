/**
 * The deck's notebook "quantization from scratch", runnable:
 *
 *   npx tsx --conditions=@quantkit/source packages/calibrators/examples/from-scratch.ts [--seed N]
 *
 * 20 values uniform in [-50, 150] (two decimals), 8-bit asymmetric and symmetric quantization written out
 * with the deck's formulas, then the same through MinMaxObserver + quantize/dequantize of
 * @quantkit/quantizers, which must give the same integers.
 */
import { pathToFileURL } from "node:url";
import { dequantize, mse, quantize, roundHalfToEven } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { MinMaxObserver } from "../src/index";

/** One value of the from-scratch table. */
export interface FromScratchRow {
  x: number;
  asymmetric: number;
  asymmetricDequantized: number;
  symmetric: number;
  symmetricDequantized: number;
}

/** The from-scratch experiment's numbers. */
export interface FromScratchResult {
  rows: FromScratchRow[];
  asymmetric: { scale: number; zeroPoint: number; mse: number };
  symmetric: { scale: number; mse: number };
  /** Whether MinMaxObserver + quantize give the very same integers as the formulas. */
  observerAgrees: { asymmetric: boolean; symmetric: boolean };
}

/**
 * The deck's formulas, n = 8: asymmetric scale = (alpha - beta) / (2^n - 1), zero = -round(beta / scale),
 * q = clamp(round(x / scale + zero), 0, 2^n - 1); symmetric scale = alpha / (2^(n-1) - 1),
 * q = clamp(round(x / scale), -2^(n-1), 2^(n-1) - 1). Rounding half to even (numpy's), float32 values.
 *
 * @example
 * const r = fromScratch();
 * r.asymmetric.mse; // about 0.05 (scale about 0.78)
 */
export function fromScratch(options: { seed?: number; n?: number } = {}): FromScratchResult {
  const n = options.n ?? 20;
  const rng = new Rng(options.seed ?? 0);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.round(rng.uniform(-50, 150) * 100) / 100;
  const f32 = Math.fround;
  let alpha = Number.NEGATIVE_INFINITY;
  let beta = Number.POSITIVE_INFINITY;
  for (const v of x) {
    alpha = Math.max(alpha, v);
    beta = Math.min(beta, v);
  }
  const aScale = f32(f32(alpha - beta) / 255);
  const aZero = -roundHalfToEven(f32(beta / aScale));
  const absMax = Math.max(alpha, -beta);
  const sScale = f32(absMax / 127);
  const rows: FromScratchRow[] = [];
  const aDeq = new Float32Array(n);
  const sDeq = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const qa = Math.min(255, Math.max(0, roundHalfToEven(f32(v * f32(1 / aScale))) + aZero));
    const qs = Math.min(127, Math.max(-128, roundHalfToEven(f32(v * f32(1 / sScale)))));
    aDeq[i] = (qa - aZero) * aScale;
    sDeq[i] = qs * sScale;
    rows.push({
      x: v,
      asymmetric: qa,
      asymmetricDequantized: aDeq[i]!,
      symmetric: qs,
      symmetricDequantized: sDeq[i]!,
    });
  }
  // The same through the library: MinMaxObserver's qparams, then quantize / dequantize.
  const asymObs = new MinMaxObserver();
  asymObs.observe(x);
  const aq = quantize(x, [n], asymObs.calculateQParams());
  const symObs = new MinMaxObserver({
    dtype: "qint8",
    qscheme: "per_tensor_symmetric",
    quantMin: -127,
    quantMax: 127,
  });
  symObs.observe(x);
  const sqp = symObs.calculateQParams();
  const sq = quantize(x, [n], sqp);
  return {
    rows,
    asymmetric: { scale: aScale, zeroPoint: aZero, mse: mse(x, aDeq) },
    symmetric: { scale: sScale, mse: mse(x, sDeq) },
    observerAgrees: {
      asymmetric: rows.every((r, i) => r.asymmetric === aq[i]),
      symmetric:
        rows.every((r, i) => r.symmetric === sq[i]) &&
        dequantize(sq, [n], sqp).every((v, i) => v === sDeq[i]),
    },
  };
}

/** The printable report of {@link fromScratch}. */
export function fromScratchReport(seed = 0): string {
  const r = fromScratch({ seed });
  const lines = [
    `quantization from scratch: 20 values uniform in [-50, 150) (Rng seed ${seed}), 8 bits`,
    `asymmetric: scale ${r.asymmetric.scale.toPrecision(6)}, zero point ${r.asymmetric.zeroPoint}, MSE ${r.asymmetric.mse.toFixed(4)}`,
    `symmetric:  scale ${r.symmetric.scale.toPrecision(6)}, MSE ${r.symmetric.mse.toFixed(4)}`,
    "",
    `${"x".padStart(8)}  ${"q asym".padStart(6)}  ${"x~ asym".padStart(8)}  ${"q sym".padStart(6)}  ${"x~ sym".padStart(8)}`,
    ...r.rows.map(
      (row) =>
        `${row.x.toFixed(2).padStart(8)}  ${String(row.asymmetric).padStart(6)}  ${row.asymmetricDequantized.toFixed(2).padStart(8)}  ` +
        `${String(row.symmetric).padStart(6)}  ${row.symmetricDequantized.toFixed(2).padStart(8)}`,
    ),
    "",
    `MinMaxObserver + quantize give the same integers: asymmetric ${r.observerAgrees.asymmetric}, symmetric ${r.observerAgrees.symmetric}`,
  ];
  return lines.join("\n");
}

// Run as a script (not when imported, nor when bundled into a file of another name).
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  import.meta.url.includes("from-scratch")
) {
  const i = process.argv.indexOf("--seed");
  console.log(fromScratchReport(i > 0 ? Number(process.argv[i + 1]) : 0));
}
