import { assertOptions, type Shape } from "@quantkit/tensor";
import { _floatOut, _runDequantize } from "./_engine";
import { _plan } from "./_plan";
import type { QuantizedArray } from "./allocateCodes";
import type { QParams } from "./qparams";

/**
 * Maps codes back to real values: x = float32((q - zeroPoint) * scale), per tensor, per channel or per
 * group as `qparams` says (PyTorch's `dequantize`, fbgemm's `Dequantize`: the float32 product of the
 * integer q - zeroPoint and the float32 scale; for qint32-wide ranges q - zeroPoint is first rounded to
 * float32, as there). Codes are used as they are: a code outside [quantMin, quantMax] is not clamped.
 *
 * @example
 * import { calculateQParams, dequantize } from "@quantkit/quantizers";
 * const qparams = calculateQParams(-1, 2); // scale 3/255, zeroPoint 85
 * dequantize(new Uint8Array([0, 85, 128, 255]), [4], qparams)
 * // Float32Array [-1, 0, 0.50588..., 2]
 */
export function dequantize(
  q: QuantizedArray,
  shape: Shape,
  qparams: QParams,
  options: { out?: Float32Array } = {},
): Float32Array {
  if (
    !ArrayBuffer.isView(q) ||
    q instanceof Float32Array ||
    q instanceof Float64Array ||
    q instanceof DataView
  ) {
    throw new TypeError(
      `q must be an integer typed array of codes, got ${Object.prototype.toString.call(q)}`,
    );
  }
  assertOptions(options, ["out"], "dequantize options");
  const plan = _plan(q.length, shape, qparams, "q");
  _assertCodes(q, plan.quantMin, plan.quantMax);
  const out = _floatOut(plan.n, options.out);
  _runDequantize(q, out, plan);
  return out;
}

const _TYPE_RANGES: ReadonlyArray<
  [typeof Uint8Array | typeof Int8Array | typeof Uint16Array | typeof Int16Array, number, number]
> = [
  [Uint8Array, 0, 255],
  [Int8Array, -128, 127],
  [Uint16Array, 0, 65535],
  [Int16Array, -32768, 32767],
];

/** Every code must lie in [quantMin, quantMax]; skipped when the array's type cannot hold anything else. */
function _assertCodes(q: QuantizedArray, quantMin: number, quantMax: number): void {
  for (const [type, lo, hi] of _TYPE_RANGES) {
    if (q instanceof type && quantMin <= lo && hi <= quantMax) return;
  }
  const n = q.length;
  for (let i = 0; i < n; i++) {
    const v = q[i]!;
    if (v < quantMin || v > quantMax || !Number.isInteger(v)) {
      throw new RangeError(
        `q[${i}] = ${v} is outside [quantMin, quantMax] = [${quantMin}, ${quantMax}]: not a code of these qparams`,
      );
    }
  }
}
