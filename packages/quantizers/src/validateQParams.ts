import type { Shape } from "@quantkit/tensor";
import { _plan } from "./_plan";
import type { QParams } from "./qparams";

/**
 * Checks quantization parameters against a tensor shape, throwing the error `quantize` would:
 * qscheme and dtype names; integer quantMin < quantMax holding at most 2^16 codes (any int32 range for
 * qint32); one scale and zero point per tensor, per channel along `axis` (default 0, negative allowed)
 * or per group (`groupSize` a positive divisor of shape[axis], with a per_channel_* qscheme); every
 * scale positive and finite with a finite float32 reciprocal (scale >= 2^-128); every zero point an
 * integer in [quantMin, quantMax]; a non-empty shape of non-negative integers.
 *
 * @example
 * import { calculateQParams, validateQParams } from "@quantkit/quantizers";
 * const qparams = calculateQParams([-1, -2], [1, 2], { dtype: "qint8", qscheme: "per_channel_symmetric", axis: 0 });
 * validateQParams(qparams, [2, 16]) // ok
 * validateQParams(qparams, [3, 16]) // throws RangeError: qparams.scale has 2 values, expected 3 (one per channel along the axis)
 */
export function validateQParams(qparams: QParams, shape: Shape): void {
  let n = 1;
  if (Array.isArray(shape)) for (const d of shape) n *= d;
  _plan(n, shape, qparams, "x");
}
