/**
 * Host side of the exact requantization: turns each channel's int32 bias, fixed-point multiplier and
 * shift into small float32-exact numbers (limbs and powers of two) that the device code in
 * `_kernelSources.ts` combines without ever holding an integer wider than 2^24.
 */

/** Floats per channel in the parameter array the requantization kernels read (`rq[c][0..10]`). */
export const _RQ_STRIDE = 11;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Whether `v` is an integer in the int32 range. */
export function _isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

/**
 * Per-channel requantization parameters as float32-exact values, `channels` rows of {@link _RQ_STRIDE}:
 *
 * - 0, 1: the bias as `hi * 4096 + lo`, lo in [0, 4096) (any int32 bias)
 * - 2: leftShift = max(shift, 0), 0..31 (the kernel doubles that many times)
 * - 3, 4, 5: |multiplier| in 11-bit limbs (|multiplier| <= 2^31, so the top limb is <= 512)
 * - 6: the multiplier's sign (+1 / -1)
 * - 7, 8: the rounding term 2^(e-1) of the right shift e = max(-shift, 0) as `hi * 2^22 + lo`
 * - 9, 10: 2^(22 - e) and 2^-e, the two halves of the division by 2^e
 *
 * `multiplier` and `shift` have one entry per channel or one for the whole tensor; `bias` is absent
 * (zero) or one per channel. Ranges are checked by the caller.
 */
export function _requantParams(
  channels: number,
  multiplier: Int32Array,
  shift: Int32Array,
  bias: Int32Array | null,
): Float32Array {
  const rq = new Float32Array(channels * _RQ_STRIDE);
  for (let c = 0; c < channels; c++) {
    const m = multiplier.length === 1 ? multiplier[0]! : multiplier[c]!;
    const s = shift.length === 1 ? shift[0]! : shift[c]!;
    const b = bias === null ? 0 : bias[c]!;
    const o = c * _RQ_STRIDE;
    const bHi = Math.floor(b / 4096);
    rq[o] = bHi;
    rq[o + 1] = b - bHi * 4096;
    const leftShift = Math.max(s, 0);
    const e = Math.max(-s, 0);
    rq[o + 2] = leftShift;
    const mAbs = Math.abs(m);
    rq[o + 3] = mAbs % 2048;
    rq[o + 4] = Math.floor(mAbs / 2048) % 2048;
    rq[o + 5] = Math.floor(mAbs / 4194304);
    rq[o + 6] = m < 0 ? -1 : 1;
    const half = e > 0 ? 2 ** (e - 1) : 0;
    rq[o + 7] = Math.floor(half / 4194304);
    rq[o + 8] = half % 4194304;
    rq[o + 9] = 2 ** (22 - e);
    rq[o + 10] = 2 ** -e;
  }
  return rq;
}
