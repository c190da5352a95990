import { createFloatFormat } from "./floatFormat";
import type { FloatFormat } from "./types";

/**
 * 8-bit float E4M3FNUZ (torch.float8_e4m3fnuz, the AMD/Graphcore variant): 1 sign bit, 4 exponent bits
 * with bias 8, 3 mantissa bits; FNUZ = finite, NaN, unsigned zero: no infinities, no -0, and the single
 * NaN is 0x80 (the pattern -0 would have). Max 240, smallest normal 2^-7, subnormal 2^-10; overflow
 * and ±Infinity become NaN, -0 becomes +0.
 *
 * @example
 * float8e4m3fnuz.encode(240) // 0x7f
 * float8e4m3fnuz.encode(-0)  // 0x00
 * float8e4m3fnuz.encode(NaN) // 0x80
 */
export const float8e4m3fnuz: FloatFormat<Uint8Array> = /* @__PURE__ */ createFloatFormat<Uint8Array>({
  name: "float8_e4m3fnuz",
  exponentBits: 4,
  mantissaBits: 3,
  specials: "fnuz",
});

/**
 * 8-bit float E5M2FNUZ (torch.float8_e5m2fnuz): 1 sign bit, 5 exponent bits with bias 16, 2 mantissa
 * bits; no infinities, no -0, NaN is 0x80. Max 57344, smallest normal 2^-15, subnormal 2^-17.
 *
 * @example
 * float8e5m2fnuz.encode(57344) // 0x7f
 * float8e5m2fnuz.encode(1)     // 0x40
 */
export const float8e5m2fnuz: FloatFormat<Uint8Array> = /* @__PURE__ */ createFloatFormat<Uint8Array>({
  name: "float8_e5m2fnuz",
  exponentBits: 5,
  mantissaBits: 2,
  specials: "fnuz",
});
