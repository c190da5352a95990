import { createFloatFormat } from "./floatFormat";
import type { FloatFormat } from "./types";

/**
 * OCP 8-bit float E4M3FN (torch.float8_e4m3fn): 1 sign bit, 4 exponent bits (bias 7), 3 mantissa bits.
 * FN = finite + NaN: no infinities; S.1111.111 (0x7f, 0xff) is NaN and the rest of the top exponent
 * holds finite values, so the largest is S.1111.110 = 448. Smallest normal 2^-6, subnormal 2^-9.
 *
 * Overflow is not saturating: |x| above the rounding threshold of 448 (the midpoint 464 to the next,
 * nonexistent value 480; 464 itself ties to the even 448) becomes NaN, as does ±Infinity; the NaN keeps
 * the input's sign, as PyTorch's `x.to(torch.float8_e4m3fn)` does. The saturating conversion that some
 * hardware offers (clamp to ±448) is not the default: clamp before encoding if you want it.
 *
 * @example
 * float8e4m3fn.encode(448) // 0x7e
 * float8e4m3fn.encode(464) // 0x7e (tie to even)
 * float8e4m3fn.encode(465) // 0x7f (NaN)
 * float8e4m3fn.encode(1)   // 0x38
 */
export const float8e4m3fn: FloatFormat<Uint8Array> = /* @__PURE__ */ createFloatFormat<Uint8Array>({
  name: "float8_e4m3fn",
  exponentBits: 4,
  mantissaBits: 3,
  specials: "fn",
});
