import { createFloatFormat } from "./floatFormat";
import type { FloatFormat } from "./types";

/**
 * IEEE 754 binary32, the deck's float: 1 sign bit, 8 exponent bits (bias 127), 23 mantissa bits.
 * Value = (-1)^sign x 2^(E-127) x 1.mantissa; max 3.4028234663852886e38, epsilon 2^-23.
 * Canonical NaN 0x7fc00000. Encoding a number rounds exactly as `Math.fround` does.
 *
 * @example
 * float32.encode(0.15625).toString(16) // "3e200000"
 * float32.explain(0.15625).text
 * // "0.15625 (float32) = 0 01111100 01000000000000000000000 = (+1) x 2^(124-127) x 1.25 = +0.15625 (exact)"
 */
export const float32: FloatFormat<Uint32Array> = /* @__PURE__ */ createFloatFormat<Uint32Array>({
  name: "float32",
  exponentBits: 8,
  mantissaBits: 23,
});
