import { assertOptions } from "@quantkit/tensor";
import { calculateQRange, DTYPES, type DType } from "./dtype";
import { assertQScheme, isPerChannel, isSymmetric, type QScheme } from "./qscheme";
import { roundHalfToEven } from "./rounding";

/** `torch.finfo(torch.float32).eps`, PyTorch's default lower bound on a scale. */
export const FLOAT32_EPS = 1.1920928955078125e-7;

/**
 * Quantization parameters: the affine map q = clamp(round(x / scale) + zeroPoint, quantMin, quantMax)
 * and its inverse x ≈ (q - zeroPoint) * scale (in float32, x / scale computed as x * (1 / scale) as
 * PyTorch's CPU kernels do; see `quantize`).
 *
 * Granularity (see `granularityOf`):
 * - per tensor (`per_tensor_*` qscheme): `scale` and `zeroPoint` hold one value;
 * - per channel (`per_channel_*` qscheme, no `groupSize`): one value per index of `axis` (default 0);
 * - per group (`per_channel_*` qscheme with `groupSize`): `groupSize` consecutive elements along `axis`
 *   share a pair, separately for every index of the other axes. The pairs are laid out row-major in the
 *   tensor's shape with `shape[axis]` replaced by `shape[axis] / groupSize`: for a Linear weight
 *   [out, in] with `axis: 1`, pair (o, g) at index `o * (in / groupSize) + g` covers
 *   `w[o, g * groupSize .. (g + 1) * groupSize - 1]`. With `groupSize = in` that is one pair per
 *   output row, i.e. per-channel quantization along axis 0.
 */
export interface QParams {
  scale: Float32Array;
  zeroPoint: Int32Array;
  quantMin: number;
  quantMax: number;
  qscheme: QScheme;
  dtype: DType;
  /** The channel axis of a per-channel or per-group tensor. */
  axis?: number;
  /** Elements along `axis` that share one (scale, zeroPoint) in per-group quantization. */
  groupSize?: number;
}

/** Options of {@link calculateQParams}, camelCase versions of PyTorch's observer arguments. */
export interface QParamsOptions {
  /** Default "quint8". */
  dtype?: DType;
  /** Default "per_tensor_affine". Per-channel schemes take one min/max per channel. */
  qscheme?: QScheme;
  /** A custom integer range (both or neither); it must contain 0. */
  quantMin?: number;
  quantMax?: number;
  /** Halve the integer range (PyTorch's `reduce_range`). Default false. */
  reduceRange?: boolean;
  /** Smallest scale. Default `torch.finfo(torch.float32).eps`. */
  eps?: number;
  /** Copied into the result: the channel axis of per-channel or per-group parameters. */
  axis?: number;
  /** Copied into the result: the group size of per-group parameters (needs a per_channel_* qscheme). */
  groupSize?: number;
}

const f32 = Math.fround;

/** The keys {@link calculateQParams} reads; any other key is an error. */
export const QPARAMS_OPTION_KEYS: readonly string[] = [
  "dtype",
  "qscheme",
  "quantMin",
  "quantMax",
  "reduceRange",
  "eps",
  "axis",
  "groupSize",
];

/**
 * PyTorch's `_ObserverBase._calculate_qparams` for already-observed ranges, in float32 arithmetic:
 *
 * - affine: min_neg = min(min, 0), max_pos = max(max, 0), scale = max((max_pos - min_neg) / (qmax - qmin), eps),
 *   zeroPoint = clamp(qmin - round(min_neg / scale), qmin, qmax);
 * - symmetric: scale = max(max(-min_neg, max_pos) / ((qmax - qmin) / 2), eps), zeroPoint 0 for a signed
 *   dtype, 128 for quint8, floor((qmin + qmax) / 2) for an unsigned custom range.
 *
 * When the range contains 0 these are the deck's formulas: scale = (max - min) / (2^n - 1) and
 * zero = -round(min / scale) (asymmetric); scale = max|x| / (2^(n-1) - 1) (symmetric, narrow range).
 *
 * @param minVal observed minimum(s): a number, or one per channel
 * @param maxVal observed maximum(s), same length
 *
 * @example
 * const { scale, zeroPoint } = calculateQParams(-1, 2, { dtype: "quint8" });
 * scale[0]     // 0.0117647… = 3 / 255 (in float32)
 * zeroPoint[0] // 85
 */
export function calculateQParams(
  minVal: number | ArrayLike<number>,
  maxVal: number | ArrayLike<number>,
  options: QParamsOptions = {},
): QParams {
  assertOptions(options, QPARAMS_OPTION_KEYS, "calculateQParams options");
  const dtype = options.dtype ?? "quint8";
  const qscheme = options.qscheme ?? "per_tensor_affine";
  assertQScheme(qscheme);
  const eps = options.eps ?? FLOAT32_EPS;
  // float32(eps) must be a normal, finite float32 whose reciprocal is finite too: 1e-50 would become 0.
  if (typeof eps !== "number" || !(f32(eps) >= 2 ** -126) || !Number.isFinite(f32(eps)))
    throw new RangeError(
      `eps must be positive and finite in float32 (at least 2^-126 = 1.1754943508222875e-38), got ${eps}`,
    );
  if (options.groupSize !== undefined && !isPerChannel(qscheme))
    throw new TypeError(
      `groupSize (${options.groupSize}) needs a per_channel_affine or per_channel_symmetric qscheme, got ${qscheme}`,
    );
  const customRange = options.quantMin !== undefined || options.quantMax !== undefined;
  const { quantMin, quantMax } = calculateQRange(dtype, {
    quantMin: options.quantMin,
    quantMax: options.quantMax,
    reduceRange: options.reduceRange,
  });

  const mins = typeof minVal === "number" ? [minVal] : minVal;
  const maxs = typeof maxVal === "number" ? [maxVal] : maxVal;
  if (mins.length !== maxs.length) {
    throw new RangeError(
      `minVal and maxVal must have the same length, got ${mins.length} and ${maxs.length}`,
    );
  }
  if (mins.length === 0)
    throw new RangeError("minVal is empty: observe at least one value before calculating qparams");

  const n = mins.length;
  if (!isPerChannel(qscheme) && n !== 1)
    throw new RangeError(
      `qscheme ${qscheme} is per tensor and takes one minVal/maxVal, got ${n} (use a per_channel_* qscheme)`,
    );
  const scale = new Float32Array(n);
  const zeroPoint = new Int32Array(n);
  const symmetric = isSymmetric(qscheme);
  const fEps = f32(eps);
  for (let c = 0; c < n; c++) {
    const lo = f32(mins[c]!);
    const hi = f32(maxs[c]!);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new RangeError(`minVal[${c}] = ${lo} and maxVal[${c}] = ${hi} must be finite`);
    }
    if (lo > hi) throw new RangeError(`minVal[${c}] = ${lo} is greater than maxVal[${c}] = ${hi}`);
    const minNeg = Math.min(lo, 0);
    const maxPos = Math.max(hi, 0);
    if (symmetric) {
      const absMax = Math.max(-minNeg, maxPos);
      const s = Math.max(f32(absMax / f32((quantMax - quantMin) / 2)), fEps);
      _assertScale(s, c, n, lo, hi);
      scale[c] = s;
      if (!DTYPES[dtype].signed) {
        // PyTorch: 128 for quint8's full range, the rounded-down midpoint for a custom range. With
        // reduceRange PyTorch keeps 128, outside 0..127; quantkit takes the midpoint (63) so that the
        // zero point stays in range.
        zeroPoint[c] =
          quantMin === 0 && quantMax === 255 && !customRange ? 128 : Math.floor((quantMin + quantMax) / 2);
      }
    } else {
      const s = Math.max(f32(f32(maxPos - minNeg) / f32(quantMax - quantMin)), fEps);
      _assertScale(s, c, n, lo, hi);
      scale[c] = s;
      const z = quantMin - roundHalfToEven(f32(minNeg / s));
      zeroPoint[c] = Math.min(Math.max(z, quantMin), quantMax);
    }
  }
  const result: QParams = { scale, zeroPoint, quantMin, quantMax, qscheme, dtype };
  if (options.axis !== undefined) result.axis = options.axis;
  if (options.groupSize !== undefined) result.groupSize = options.groupSize;
  return result;
}

/** A scale must be finite in float32 with a finite float32 reciprocal (what `quantize` needs). */
function _assertScale(s: number, c: number, n: number, lo: number, hi: number): void {
  if (!Number.isFinite(s) || !Number.isFinite(f32(1 / s))) {
    throw new RangeError(
      `the range [${lo}, ${hi}]${n > 1 ? ` of channel ${c}` : ""} gives scale ${s}: its span overflows float32, no finite scale exists`,
    );
  }
}
