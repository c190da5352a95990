/*
 * Where exactness ends.
 *
 * The deck's BigNum aside: Python can add any two integers because CPython stores an int as an array of
 * base-2^30 digits and loops over them in software. Hardware does not: an ALU, a SIMD lane, a GPU core
 * or a Multiply-Accumulate block works on registers of a fixed width (8, 16, 32, 64 bits), one
 * instruction per operation, and that fixed width is what makes it fast. So an int8 x int8 product
 * needs 16 bits, a dot product of K of them needs about 16 + log2(K) bits, and a quantized kernel
 * accumulates in int32 (the bias is int32 for the same reason). When a value does not fit, the
 * hardware either wraps (mod 2^n, see `wrap`) or saturates (clamps, see `saturate`); nothing grows.
 *
 * JavaScript shows both worlds: `bigint` is BigNum (exact, unbounded, slow), `number` is a float64
 * whose integers are exact only up to 2^53, and a float32 (a Float32Array, or a GPU shader through
 * gpu.js) holds integers exactly only up to 2^24: 2^24 + 1 rounds to 2^24. An integer GPU kernel that
 * computes in float32 must keep every intermediate within 2^24 to stay bit-exact.
 */

/**
 * 2^53: every integer n with |n| <= 2^53 is exactly a JS number (float64); 2^53 + 1 is the first that
 * is not (it rounds to 2^53). Note `Number.MAX_SAFE_INTEGER` (and {@link MAX_SAFE_INTEGER}) is one less:
 * "safe" also asks that n + 1 be exact.
 *
 * @example
 * FLOAT64_MAX_EXACT_INTEGER + 1 === FLOAT64_MAX_EXACT_INTEGER // true: 2^53 + 1 is not a number
 */
export const FLOAT64_MAX_EXACT_INTEGER = 2 ** 53;

/**
 * 2^53 - 1, JavaScript's own `Number.MAX_SAFE_INTEGER`: the largest n such that n and n + 1 are both
 * exact numbers, so integer arithmetic below it never rounds silently.
 *
 * @example
 * Number.isSafeInteger(MAX_SAFE_INTEGER) // true
 */
export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * 2^24 = 16777216: every integer n with |n| <= 2^24 is exactly a float32; 2^24 + 1 is the first that is
 * not. This is the ceiling of exact integer arithmetic in a float32 GPU shader.
 *
 * @example
 * Math.fround(FLOAT32_MAX_EXACT_INTEGER + 1) // 16777216
 */
export const FLOAT32_MAX_EXACT_INTEGER = 2 ** 24;

/**
 * 2^24 - 1, the float32 analogue of `Number.MAX_SAFE_INTEGER`: the largest n such that n and n + 1 are
 * both exact float32 values.
 *
 * @example
 * isSafeIntegerFloat32(FLOAT32_MAX_SAFE_INTEGER) // true
 */
export const FLOAT32_MAX_SAFE_INTEGER = 2 ** 24 - 1;

/**
 * True when float32 holds `n` exactly (`Math.fround(n) === n`): any integer with |n| <= 2^24, larger
 * ones only when their low bits are zero (2^25 yes, 2^24 + 1 no), fractions with few enough bits
 * (0.5 yes, 0.1 no). ±Infinity is exact; NaN is not a value and gives false.
 *
 * @example
 * isExactInFloat32(16777216) // true
 * isExactInFloat32(16777217) // false
 * isExactInFloat32(0.1)      // false
 */
export function isExactInFloat32(n: number): boolean {
  if (typeof n !== "number") throw new TypeError(`n must be a number, got ${typeof n}`);
  return Math.fround(n) === n;
}

/**
 * The float32 analogue of `Number.isSafeInteger`: `n` is an integer with |n| <= 2^24 - 1, so it, its
 * neighbours and every integer between it and zero are exact float32 values.
 *
 * @example
 * isSafeIntegerFloat32(16777215) // true
 * isSafeIntegerFloat32(16777216) // false: exact, but 16777216 + 1 is not
 * isSafeIntegerFloat32(1.5)      // false
 */
export function isSafeIntegerFloat32(n: number): boolean {
  if (typeof n !== "number") throw new TypeError(`n must be a number, got ${typeof n}`);
  return Number.isInteger(n) && Math.abs(n) <= FLOAT32_MAX_SAFE_INTEGER;
}
