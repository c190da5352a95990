import { _describe } from "./_errors";

/**
 * How a float format spends its top exponent code:
 * - `"ieee"`: IEEE 754 style (float32, float16, bfloat16, E5M2): the all-ones exponent is reserved,
 *   mantissa 0 is ±Infinity, any other mantissa is NaN; overflow rounds to ±Infinity.
 * - `"fn"`: finite + NaN (OCP E4M3FN): no infinities; only S.1...1.1...1 is NaN, the rest of the
 *   all-ones exponent holds finite values; overflow (and ±Infinity) becomes NaN.
 * - `"fnuz"`: finite + NaN + unsigned zero (E4M3FNUZ, E5M2FNUZ): no infinities, no -0; the single
 *   pattern 1.0...0.0...0 (what would be -0) is NaN; overflow becomes NaN, -0 becomes +0.
 */
export type FloatSpecials = "ieee" | "fn" | "fnuz";

/** The definition of a float format, as {@link createFloatFormat} takes it. */
export interface FloatFormatSpec {
  /** The format's name as PyTorch spells the dtype (`"float16"`, `"float8_e4m3fn"`). */
  readonly name: string;
  /** Exponent field width, 2..8. */
  readonly exponentBits: number;
  /** Mantissa (fraction) field width, 1..23; 1 + exponentBits + mantissaBits <= 32. */
  readonly mantissaBits: number;
  /** Exponent bias; default 2^(exponentBits-1) - 1 (`"ieee"`, `"fn"`) or 2^(exponentBits-1) (`"fnuz"`). */
  readonly bias?: number;
  /** How infinities and NaN are encoded; default `"ieee"`. */
  readonly specials?: FloatSpecials;
  /** The pattern `encode(NaN)` gives; default the positive quiet NaN (`"ieee"`), 0b0.1..1.1..1 (`"fn"`), 0b1.0..0.0..0 (`"fnuz"`). */
  readonly nanBits?: number;
}

/** Every constant the conversions need, derived once per format. Internal. */
export interface _FloatParams {
  readonly name: string;
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly bias: number;
  readonly totalBits: number;
  readonly specials: FloatSpecials;
  /** 2^mantissaBits, the weight of the implicit leading 1. */
  readonly implicit: number;
  /** 1 - bias: the exponent of the smallest normal, also the scale exponent of subnormals. */
  readonly emin: number;
  /** The unbiased exponent of the largest finite value. */
  readonly emax: number;
  /** 2^(totalBits - 1). */
  readonly signBit: number;
  /** The largest finite pattern without the sign (0x7bff for float16, 0x7e for E4M3FN). */
  readonly maxFiniteAbs: number;
  /** 2^totalBits - 1. */
  readonly maxPattern: number;
  /** The all-ones-exponent, zero-mantissa pattern of `"ieee"` formats (0x7c00 for float16), else -1. */
  readonly infinityAbs: number;
  readonly nanBits: number;
  readonly maxNormal: number;
  readonly minNormal: number;
  readonly maxSubnormal: number;
  readonly minSubnormal: number;
  readonly epsilon: number;
  /** Half the smallest subnormal: inputs with |x| <= this round to zero (the tie goes to even 0). */
  readonly halfMinSubnormal: number;
  /** 2^(mantissaBits - e) for e in emin..emax, at index e - emin: exact powers of two for encode. */
  readonly scales: Float64Array;
}

const scratch = new DataView(new ArrayBuffer(8));

/** 2^k exactly, for k in -1022..1023 (built from the bits: no reliance on Math.pow's accuracy). */
export function _pow2(k: number): number {
  scratch.setUint32(0, (k + 1023) << 20);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** floor(log2(a)) for a positive normal double, read from its exponent field (exact, unlike Math.log2). */
export function _exponentOf(a: number): number {
  scratch.setFloat64(0, a);
  return ((scratch.getUint32(0) >>> 20) & 0x7ff) - 1023;
}

function isNaNPattern(p: Omit<_FloatParams, "nanBits" | "scales">, bits: number): boolean {
  const abs = bits % p.signBit;
  if (p.specials === "fnuz") return bits === p.signBit;
  if (p.specials === "fn") return abs === p.maxPattern % p.signBit;
  return abs > p.infinityAbs;
}

function assertIntIn(value: unknown, name: string, lo: number, hi: number): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${_describe(value)}`);
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(`${name} must be an integer in ${lo}..${hi}, got ${_describe(value)}`);
  }
}

/** Validates a spec and derives the constants; throws TypeError/RangeError naming the bad field. */
export function _floatParams(spec: FloatFormatSpec): _FloatParams {
  if (typeof spec !== "object" || spec === null) {
    throw new TypeError(`spec must be an object, got ${_describe(spec)}`);
  }
  const { name, exponentBits: E, mantissaBits: m, specials = "ieee" } = spec;
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`spec.name must be a non-empty string, got ${_describe(name)}`);
  }
  if (specials !== "ieee" && specials !== "fn" && specials !== "fnuz") {
    throw new RangeError(`spec.specials must be "ieee", "fn" or "fnuz", got ${_describe(specials)}`);
  }
  assertIntIn(E, "spec.exponentBits", 2, 8);
  assertIntIn(m, "spec.mantissaBits", 1, 23);
  const totalBits = 1 + E + m;
  if (totalBits > 32) {
    throw new RangeError(
      `spec: 1 + exponentBits + mantissaBits must be <= 32, got ${totalBits} (${E}, ${m})`,
    );
  }
  const bias = spec.bias ?? (specials === "fnuz" ? 2 ** (E - 1) : 2 ** (E - 1) - 1);
  assertIntIn(bias, "spec.bias", -(2 ** 10), 2 ** 10);
  const implicit = 2 ** m;
  const signBit = 2 ** (totalBits - 1);
  const maxPattern = 2 ** totalBits - 1;
  const topBiased = 2 ** E - 1;
  const maxBiased = specials === "ieee" ? topBiased - 1 : topBiased;
  const maxMantissa = specials === "fn" ? implicit - 2 : implicit - 1;
  const emin = 1 - bias;
  const emax = maxBiased - bias;
  // Every value must be a float32 so that decodeArray (to Float32Array) is exact and the float32
  // table path covers the whole range: exponents within float32's, subnormals not below 2^-149.
  if (emax > 127 || emin - m < -149) {
    throw new RangeError(
      `spec.bias ${bias} puts ${name}'s values outside float32 (exponents ${emin - m}..${emax}; float32 holds -149..127)`,
    );
  }
  const partial = {
    name,
    exponentBits: E,
    mantissaBits: m,
    bias,
    totalBits,
    specials,
    implicit,
    emin,
    emax,
    signBit,
    maxFiniteAbs: maxBiased * implicit + maxMantissa,
    maxPattern,
    infinityAbs: specials === "ieee" ? topBiased * implicit : -1,
    maxNormal: (implicit + maxMantissa) * _pow2(emax - m),
    minNormal: _pow2(emin),
    maxSubnormal: (implicit - 1) * _pow2(emin - m),
    minSubnormal: _pow2(emin - m),
    epsilon: _pow2(-m),
    halfMinSubnormal: _pow2(emin - m - 1),
  };
  const defaultNaN =
    specials === "ieee" ? topBiased * implicit + implicit / 2 : specials === "fn" ? signBit - 1 : signBit;
  const nanBits = spec.nanBits ?? defaultNaN;
  assertIntIn(nanBits, "spec.nanBits", 0, maxPattern);
  if (!isNaNPattern(partial, nanBits)) {
    throw new RangeError(`spec.nanBits must be a NaN pattern of ${name}, got 0x${nanBits.toString(16)}`);
  }
  const scales = new Float64Array(emax - emin + 1);
  for (let e = emin; e <= emax; e++) scales[e - emin] = _pow2(m - e);
  return { ...partial, nanBits, scales };
}

/** What an overflowing input with the given sign encodes to: ±Infinity (`"ieee"`) or NaN. */
function overflowBits(p: _FloatParams, sign: number): number {
  if (p.specials === "ieee") return sign + p.infinityAbs;
  // As PyTorch's c10 conversions do: E4M3FN keeps the sign on the overflow NaN (S.1111.111),
  // FNUZ formats have one NaN only.
  return p.specials === "fn" ? sign + p.maxPattern - p.signBit : p.nanBits;
}

/** 2^52: adding and subtracting it rounds a double in [0, 2^52) to an integer, ties to even. */
const RNE_MAGIC = 2 ** 52;

/**
 * The bit pattern of the format value nearest to `x` (ties to even), for any number `x`.
 * Exact for every double: the scaling is by a power of two and the rounding is one float64 addition
 * whose own round-to-nearest-even is the one we want (t < 2^24, so t + 2^52 has unit spacing).
 */
export function _encodeScalar(p: _FloatParams, x: number): number {
  if (Number.isNaN(x)) return p.nanBits;
  const negative = x < 0 || (x === 0 && 1 / x < 0);
  const sign = negative ? p.signBit : 0;
  const a = negative ? -x : x;
  // Zero, or underflow (the tie at half the smallest subnormal goes to the even 0); FNUZ has no -0.
  if (a <= p.halfMinSubnormal) return p.specials === "fnuz" ? 0 : sign;
  if (a === Number.POSITIVE_INFINITY) return overflowBits(p, sign);
  const e = _exponentOf(a); // a >= 2^-150 here, a normal double
  if (e > p.emax) return overflowBits(p, sign);
  const eq = Math.max(e, p.emin); // below the normal range the spacing stays that of emin
  const n = a * p.scales[eq - p.emin]! + RNE_MAGIC - RNE_MAGIC; // in 1..2^(m+1)
  // One formula for normals and subnormals: a subnormal has eq = emin, so (eq + bias - 1) = 0, and a
  // mantissa that rounds up to 2^(m+1) (or a subnormal to 2^m) carries into the exponent field by itself.
  const abs = (eq + p.bias - 1) * p.implicit + n;
  if (abs > p.maxFiniteAbs) return overflowBits(p, sign);
  return sign + abs;
}

/** The value of a bit pattern, assumed valid (an integer in 0..maxPattern). */
export function _decodeScalar(p: _FloatParams, bits: number): number {
  const negative = bits >= p.signBit;
  const abs = negative ? bits - p.signBit : bits;
  if (p.specials === "fnuz") {
    if (bits === p.signBit) return Number.NaN;
  } else if (p.specials === "fn") {
    if (abs === p.signBit - 1) return Number.NaN;
  } else if (abs >= p.infinityAbs) {
    return abs === p.infinityAbs ? (negative ? -Infinity : Infinity) : Number.NaN;
  }
  const biased = Math.floor(abs / p.implicit);
  const mantissa = abs - biased * p.implicit;
  const v =
    biased === 0
      ? mantissa * p.minSubnormal
      : (p.implicit + mantissa) * _pow2(biased - p.bias - p.mantissaBits);
  return negative ? -v : v;
}

/** Checks a bit pattern argument: TypeError for a non-number, RangeError outside 0..maxPattern. */
export function _assertPattern(p: _FloatParams, bits: unknown, name = "bits"): asserts bits is number {
  if (typeof bits !== "number") {
    throw new TypeError(`${name} must be a number (a ${p.name} bit pattern), got ${_describe(bits)}`);
  }
  if (!Number.isInteger(bits) || bits < 0 || bits > p.maxPattern) {
    const digits = Math.ceil(p.totalBits / 4);
    throw new RangeError(
      `${name} must be an integer bit pattern in 0..0x${p.maxPattern.toString(16).padStart(digits, "0")} for ${p.name}, got ${_describe(bits)}`,
    );
  }
}
