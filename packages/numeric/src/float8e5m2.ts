import { createFloatFormat } from "./floatFormat";
import type { FloatFormat } from "./types";

/**
 * OCP 8-bit float E5M2 (torch.float8_e5m2): 1 sign bit, 5 exponent bits (bias 15), 2 mantissa bits;
 * IEEE-like: the top exponent holds ±Infinity (0x7c, 0xfc) and NaN. It is float16 with the low 8
 * mantissa bits cut off. Max 57344, smallest normal 2^-14, subnormal 2^-16; overflow rounds to
 * ±Infinity. Canonical NaN 0x7f, as PyTorch's conversion gives.
 *
 * @example
 * float8e5m2.encode(57344) // 0x7b
 * float8e5m2.encode(1)     // 0x3c
 * float8e5m2.encode(Infinity) // 0x7c
 */
export const float8e5m2: FloatFormat<Uint8Array> = /* @__PURE__ */ createFloatFormat<Uint8Array>({
  name: "float8_e5m2",
  exponentBits: 5,
  mantissaBits: 2,
  nanBits: 0x7f,
});
