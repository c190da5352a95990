import type { Shape } from "@quantkit/tensor";
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
  const plan = _plan(q.length, shape, qparams, "q");
  const out = _floatOut(plan.n, options.out);
  _runDequantize(q, out, plan);
  return out;
}
