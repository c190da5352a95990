// The deck's notebook "quantization from scratch": 20 values in [-50, 150], 8-bit asymmetric and
// symmetric quantization, the integers, the dequantized values and the MSE.
//   tsx --conditions=@quantkit/source packages/quantizers/examples/from-scratch.ts
import { pathToFileURL } from "node:url";
import { calculateQParams, dequantize, maxAbsError, mse, type QParams, quantize, sqnr } from "../src/index";

/**
 * The 20 values: uniform in [-50, 150] (seeded, rounded to 2 decimals), with the first three set to
 * max + 1, min - 1 and 0 so that the extremes and zero are easy to spot.
 */
export const VALUES = new Float32Array([
  145.67, -47.31, 0, -7.4, 76.87, 37.92, 111.65, 116.42, -41.1, -46.31, 81.04, -16.27, -13.04, 144.67, 130.16,
  7.56, 54.86, 142.23, 126.37, 25.08,
]);

/** One quantization of the values. */
export interface FromScratchResult {
  name: string;
  qparams: QParams;
  codes: Int8Array | Uint8Array;
  dequantized: Float32Array;
  mse: number;
  maxAbsError: number;
  sqnrDb: number;
}

/**
 * Quantizes VALUES both ways the deck shows:
 * - asymmetric: [min, max] -> [0, 255], scale = (max - min) / 255, zero = -round(min / scale)
 *   (quint8, per_tensor_affine; the range contains 0, so PyTorch's formula is the deck's);
 * - symmetric: [-max|x|, max|x|] -> [-127, 127], scale = max|x| / 127, zero 0
 *   (qint8, per_tensor_symmetric with the narrow range quantMin -127, quantMax 127).
 *
 * @example
 * const [asymmetric, symmetric] = fromScratch();
 * asymmetric.mse < symmetric.mse // true: the asymmetric map wastes no codes on [-150, -47]
 */
export function fromScratch(values: Float32Array = VALUES): FromScratchResult[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const schemes: [string, QParams][] = [
    [
      "asymmetric (quint8, [0, 255])",
      calculateQParams(min, max, { dtype: "quint8", qscheme: "per_tensor_affine" }),
    ],
    [
      "symmetric (qint8, [-127, 127])",
      calculateQParams(min, max, {
        dtype: "qint8",
        qscheme: "per_tensor_symmetric",
        quantMin: -127,
        quantMax: 127,
      }),
    ],
  ];
  return schemes.map(([name, qparams]) => {
    const codes = quantize(values, [values.length], qparams) as Int8Array | Uint8Array;
    const dequantized = dequantize(codes, [values.length], qparams);
    return {
      name,
      qparams,
      codes,
      dequantized,
      mse: mse(values, dequantized),
      maxAbsError: maxAbsError(values, dequantized),
      sqnrDb: sqnr(values, dequantized),
    };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fmt = (a: ArrayLike<number>, digits = 2) =>
    Array.from(a, (v) => v.toFixed(digits).padStart(8)).join("");
  console.log(`values (${VALUES.length}, in [-50, 150]):`);
  console.log(fmt(VALUES));
  for (const r of fromScratch()) {
    console.log(`\n${r.name}: scale = ${r.qparams.scale[0]}, zeroPoint = ${r.qparams.zeroPoint[0]}`);
    console.log(`  integers:    ${fmt(r.codes, 0)}`);
    console.log(`  dequantized: ${fmt(r.dequantized)}`);
    console.log(
      `  MSE = ${r.mse.toFixed(4)}, max |error| = ${r.maxAbsError.toFixed(4)}, SQNR = ${r.sqnrDb.toFixed(2)} dB`,
    );
  }
}
