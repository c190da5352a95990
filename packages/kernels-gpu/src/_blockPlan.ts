/**
 * How to split a reduction of length k into blocks whose float32 sums are exact: every integer of
 * magnitude <= 2^24 is a float32, so a block may hold up to floor(2^24 / maxProduct) products.
 * int8 x uint8 with zero points (|a - za| <= 255, |w| <= 128) gives 514 per block; uint8 - 0 against
 * uint8 - 255 (the worst case, 65,025 per product) 258.
 */

/** Largest reduction length: keeps the limb sums of `_kernelSources` below 2^23 (K * 2^16 / 2^12 + blocks). */
export const _MAX_K = 2 ** 18;

/** The exact float32 integer bound. */
const EXACT = 2 ** 24;

/** A reduction split: `nb` blocks of `block` terms (the last may be shorter). */
export interface _BlockPlan {
  block: number;
  nb: number;
}

/** Largest |v - zeroPoint| over the values of the array's dtype (int8: -128..127, uint8: 0..255). */
export function _maxAbsOffset(values: Int8Array | Uint8Array, zeroPoint: number): number {
  return values instanceof Int8Array
    ? Math.max(zeroPoint + 128, 127 - zeroPoint)
    : Math.max(zeroPoint, 255 - zeroPoint);
}

/**
 * Splits k terms of at most `maxProduct` each into equal blocks (the last shorter) of at most
 * floor(2^24 / maxProduct) terms, as few as possible. Valid for 1 <= k <= 2^18, maxProduct <= 2^24.
 */
export function _blockPlan(k: number, maxProduct: number): _BlockPlan {
  const longest = Math.max(1, Math.floor(EXACT / Math.max(1, maxProduct)));
  // Balance the blocks (fewer idle threads in the last one) without adding any; recounting them
  // after rounding the length up keeps the last block non-empty.
  const block = Math.ceil(k / Math.ceil(k / longest));
  return { block, nb: Math.ceil(k / block) };
}
