import { createFloatFormat } from "./floatFormat";
import type { FloatFormat } from "./types";

/**
 * bfloat16 ("brain float", torch.bfloat16): the top 16 bits of a float32: 1 sign bit, 8 exponent bits
 * (bias 127), 7 mantissa bits. float32's range (max 3.3895313892515355e38) with 8 significant bits
 * (epsilon 2^-7). Canonical NaN 0x7fc0, as PyTorch's conversion gives.
 *
 * @example
 * bfloat16.encode(1)     // 0x3f80
 * bfloat16.encode(1 / 3) // 0x3eab
 * bfloat16.round(1 / 3)  // 0.333984375
 */
export const bfloat16: FloatFormat<Uint16Array> = /* @__PURE__ */ createFloatFormat<Uint16Array>({
  name: "bfloat16",
  exponentBits: 8,
  mantissaBits: 7,
  nanBits: 0x7fc0,
});
