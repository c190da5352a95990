/**
 * The deck's two schemes as quantkit's quantizers express them, and the numbers section 4 shows for a
 * tensor. The arithmetic is @quantkit/quantizers' (PyTorch semantics); this module only picks the
 * deck's integer ranges and gathers the results.
 */
import {
  allocateCodes,
  calculateQParams,
  dequantize,
  maxAbsError,
  mse,
  type QParams,
  type QuantizedArray,
  quantize,
  rangeForBits,
  sqnr,
} from "@quantkit/quantizers";
import { extent } from "./histogram";

/** The deck's asymmetric scheme ([β, α] onto [0, 2ⁿ − 1]) or symmetric one ([−α, α] onto [−(2ⁿ⁻¹ − 1), 2ⁿ⁻¹ − 1]). */
export type Scheme = "asymmetric" | "symmetric";

/**
 * Quantization parameters for the deck's schemes at `bits` (2..16) from an observed range: asymmetric
 * is `per_tensor_affine` over [0, 2ⁿ − 1], so scale = (max − min) / (2ⁿ − 1) and zero = −round(min / scale)
 * when min <= 0 <= max; symmetric is `per_tensor_symmetric` over the narrow signed range, so scale =
 * max|x| / (2ⁿ⁻¹ − 1) and zero = 0.
 *
 * @example
 * deckQParams(-50, 150, 8, "asymmetric") // scale 0.78431… (200 / 255), zeroPoint 64
 * deckQParams(-50, 150, 8, "symmetric")  // scale 1.18110… (150 / 127), zeroPoint 0
 */
export function deckQParams(minVal: number, maxVal: number, bits: number, scheme: Scheme): QParams {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new RangeError(`bits must be an integer in 2..16, got ${bits}`);
  const symmetric = scheme === "symmetric";
  const { quantMin, quantMax } = rangeForBits(bits, symmetric, { narrowRange: symmetric });
  return calculateQParams(minVal, maxVal, {
    dtype: symmetric ? "qint8" : "quint8",
    qscheme: symmetric ? "per_tensor_symmetric" : "per_tensor_affine",
    quantMin,
    quantMax,
  });
}

/** Everything section 4 shows about one quantized tensor. */
export interface QuantizeReport {
  qparams: QParams;
  scale: number;
  zeroPoint: number;
  /** The observed range [min, max] (β and α for the asymmetric scheme). */
  min: number;
  max: number;
  codes: QuantizedArray;
  dequantized: Float32Array;
  mse: number;
  /** In dB; +Infinity when the reconstruction is exact. */
  sqnr: number;
  maxAbsError: number;
  /** How many distinct codes the tensor uses, of quantMax − quantMin + 1. */
  codesUsed: number;
  /** Count of each code, index 0 is quantMin. */
  codeCounts: Uint32Array;
}

/**
 * Min-max range, the deck's qparams, quantize, dequantize and the errors, for a 1-D tensor.
 *
 * @example
 * const r = quantizeReport(new Float32Array([-50, 0, 10, 120, 150]), 8, "asymmetric");
 * [...r.codes] // [0, 64, 77, 217, 255]
 */
export function quantizeReport(x: Float32Array, bits: number, scheme: Scheme): QuantizeReport {
  const [min, max] = extent(x);
  const qparams = deckQParams(min, max, bits, scheme);
  const codes = quantize(x, [x.length], qparams);
  const dequantized = dequantize(codes, [x.length], qparams);
  const levels = qparams.quantMax - qparams.quantMin + 1;
  const codeCounts = new Uint32Array(levels);
  for (let i = 0; i < codes.length; i++) codeCounts[codes[i]! - qparams.quantMin]!++;
  let codesUsed = 0;
  for (let i = 0; i < levels; i++) if (codeCounts[i]! > 0) codesUsed++;
  return {
    qparams,
    scale: qparams.scale[0]!,
    zeroPoint: qparams.zeroPoint[0]!,
    min,
    max,
    codes,
    dequantized,
    mse: mse(x, dequantized),
    sqnr: sqnr(x, dequantized),
    maxAbsError: maxAbsError(x, dequantized),
    codesUsed,
    codeCounts,
  };
}

/**
 * The real values the codes stand for, (q − zeroPoint) × scale for every q in [quantMin, quantMax]:
 * the quantization grid drawn over a histogram.
 *
 * @example
 * gridValues(deckQParams(-1, 2, 2, "asymmetric")) // Float32Array [-1, 0, 1, 2]
 */
export function gridValues(qparams: QParams): Float32Array {
  const n = qparams.quantMax - qparams.quantMin + 1;
  const codes = allocateCodes(n, qparams.quantMin, qparams.quantMax, qparams.dtype);
  for (let i = 0; i < n; i++) codes[i] = qparams.quantMin + i;
  return dequantize(codes, [n], qparams);
}
