import { createFloatFormat } from "./floatFormat";
import type { FloatFormat } from "./types";

/**
 * IEEE 754 binary16 ("half", torch.float16): 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
 * Max 65504, smallest normal 2^-14, smallest subnormal 2^-24, epsilon 2^-10; overflow rounds to
 * ±Infinity (65520 and up, the tie going to the even Infinity pattern). Canonical NaN 0x7e00.
 * `encodeArray` from a Float32Array is the fast table-driven path (see bench/float16.bench.ts).
 *
 * @example
 * float16.encode(65504) // 0x7bff
 * float16.encode(1)     // 0x3c00
 * float16.encode(2 ** -24) // 0x0001
 */
export const float16: FloatFormat<Uint16Array> = /* @__PURE__ */ createFloatFormat<Uint16Array>({
  name: "float16",
  exponentBits: 5,
  mantissaBits: 10,
});
