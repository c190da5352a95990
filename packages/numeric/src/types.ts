/**
 * The public types of the float formats: the fields of a stored value, what happened to an input on
 * its way in, and the {@link FloatFormat} interface every format (float32 ... float8) implements.
 */
import type { BitsArray } from "./_encodeKernels";
import type { FloatSpecials } from "./_floatParams";

export type { BitsArray } from "./_encodeKernels";
export type { FloatFormatSpec, FloatSpecials } from "./_floatParams";

/** What a bit pattern is: the value classes of IEEE 754 (and of the OCP 8-bit formats). */
export type FloatKind = "zero" | "subnormal" | "normal" | "infinity" | "nan";

/** The fields of one stored value, as the deck draws them: sign, exponent, mantissa. */
export interface FloatFields {
  /** 0 for +, 1 for -. */
  readonly sign: 0 | 1;
  /** The stored exponent field E, an unsigned integer. */
  readonly biasedExponent: number;
  /**
   * The power of two the mantissa is scaled by: E - bias for normal values; 1 - bias for subnormals and
   * zero (they share the smallest normal's scale); E - bias for infinity and NaN (the formula does not apply).
   */
  readonly exponent: number;
  /** The stored mantissa (fraction) field as an unsigned integer. */
  readonly mantissaBits: number;
  /** The mantissa's value: 1 + mantissaBits / 2^m for normals, mantissaBits / 2^m for subnormals and zero, NaN for infinity and NaN. */
  readonly mantissa: number;
  readonly kind: FloatKind;
  /** The whole bit pattern as an unsigned integer. */
  readonly bits: number;
  /** The bit pattern in hexadecimal, padded to the format's width: "0x3e200000". */
  readonly hex: string;
  /** Sign, exponent and mantissa fields in binary, separated by spaces: "0 01111100 01000000000000000000000". */
  readonly bitString: string;
  /** The value the pattern stands for: (-1)^sign x 2^exponent x mantissa. */
  readonly value: number;
}

/** What happened to an input on its way into a format. */
export type FloatOutcome = "exact" | "rounded" | "underflow" | "overflow" | "nan";

/** {@link FloatFields} of the stored value plus how it relates to the input, and a one-line text. */
export interface FloatExplanation extends FloatFields {
  /** The format's name. */
  readonly format: string;
  /** The number that was encoded. */
  readonly input: number;
  /** value - input: 0 when exact, ±Infinity on overflow to infinity, NaN when the input or the result is NaN. */
  readonly error: number;
  /** error / |input|: 0 when exact (a zero input is always exact, so there is no division by zero). */
  readonly relativeError: number;
  /** exact, rounded (to a nonzero value), underflow (a nonzero input became zero), overflow, or nan (the input was NaN). */
  readonly outcome: FloatOutcome;
  /** The deck's worked example with the numbers filled in, e.g. `0.15625 (float32) = 0 01111100 01000000000000000000000 = (+1) x 2^(124-127) x 1.25 = +0.15625 (exact)`. */
  readonly text: string;
}

/**
 * A binary floating-point format: its layout, its limits, and exact conversions between JS numbers
 * (float64) and its bit patterns. Conversions round to nearest, ties to even, with subnormals; NaN
 * becomes the format's canonical NaN (`nanBits`: a JS number carries no NaN sign or payload), -0 stays
 * -0 where the format has it. Overflow goes to ±Infinity (`"ieee"`) or NaN (`"fn"`, `"fnuz"`).
 * `B` is the typed array that holds its patterns.
 */
export interface FloatFormat<B extends BitsArray = BitsArray> {
  /** The dtype name as PyTorch spells it: "float32", "float16", "bfloat16", "float8_e4m3fn", "float8_e5m2". */
  readonly name: string;
  /** Width of the exponent field. */
  readonly exponentBits: number;
  /** Width of the mantissa (fraction) field; the significand has one more, implicit, bit. */
  readonly mantissaBits: number;
  /** Exponent bias: a normal value is 2^(E - bias) x 1.mantissa. */
  readonly bias: number;
  /** 1 + exponentBits + mantissaBits. */
  readonly totalBits: number;
  /** How infinities and NaN are encoded: see {@link FloatSpecials}. */
  readonly specials: FloatSpecials;
  /** Whether ±Infinity exist (only `"ieee"` formats). */
  readonly hasInfinity: boolean;
  /** Whether -0 exists (not in `"fnuz"` formats). */
  readonly hasNegativeZero: boolean;
  /** The canonical NaN pattern that encode(NaN) gives. */
  readonly nanBits: number;
  /** The +Infinity pattern, or null when the format has no infinity. */
  readonly infinityBits: number | null;
  /** 2^-mantissaBits: the gap between 1 and the next larger value (machine epsilon). */
  readonly epsilon: number;
  /** The largest finite value (always a normal): 65504 for float16, 448 for E4M3FN. */
  readonly maxNormal: number;
  /** The smallest positive normal value, 2^(1 - bias). */
  readonly minNormal: number;
  /** The largest subnormal value, (1 - 2^-mantissaBits) x minNormal. */
  readonly maxSubnormal: number;
  /** The smallest positive value, 2^(1 - bias - mantissaBits). */
  readonly minSubnormal: number;
  /** 2^(mantissaBits + 1): every integer up to it is exact (float32: 2^24, float16: 2048, bfloat16: 256). */
  readonly maxExactInteger: number;

  /**
   * The bit pattern of the format value nearest to `value` (ties to even), as an unsigned integer.
   *
   * @example
   * float16.encode(1)     // 0x3c00
   * float16.encode(65504) // 0x7bff
   * float16.encode(65520) // 0x7c00 (+Infinity: the tie goes to the even pattern)
   */
  encode(value: number): number;
  /**
   * The value of a bit pattern (an integer in 0..2^totalBits - 1; RangeError otherwise).
   *
   * @example
   * float16.decode(0x0001) // 5.960464477539063e-8 (2^-24)
   * float8e4m3fn.decode(0x7e) // 448
   */
  decode(bits: number): number;
  /**
   * `value` rounded to the format and back: decode(encode(value)), the format's `Math.fround`.
   *
   * @example
   * bfloat16.round(1 / 3) // 0.333984375
   */
  round(value: number): number;
  /**
   * The fields of `encode(value)`.
   *
   * @example
   * float32.fields(0.15625) // { sign: 0, biasedExponent: 124, exponent: -3, mantissa: 1.25, kind: "normal", ... }
   */
  fields(value: number): FloatFields;
  /**
   * The fields of a bit pattern.
   *
   * @example
   * float16.fieldsFromBits(0x0001).kind // "subnormal"
   */
  fieldsFromBits(bits: number): FloatFields;
  /**
   * The deck's worked example for `value`: the fields of the stored value, the value, the rounding
   * error and a one-line `text`.
   *
   * @example
   * float32.explain(0.15625).text
   * // "0.15625 (float32) = 0 01111100 01000000000000000000000 = (+1) x 2^(124-127) x 1.25 = +0.15625 (exact)"
   */
  explain(value: number): FloatExplanation;
  /**
   * The spacing of the format's values at `value`: 2^(e - mantissaBits) where e is the exponent of
   * |value| clamped to the format's normal range (minSubnormal below minNormal). For a format value it
   * is the gap to the next value away from zero; for any finite x, |round(x) - x| <= ulp(x) / 2.
   * ulp(±Infinity) is Infinity, ulp(NaN) is NaN.
   *
   * @example
   * float16.ulp(1)    // 0.0009765625 (2^-10)
   * float16.ulp(1000) // 0.5
   */
  ulp(value: number): number;
  /**
   * The smallest format value strictly greater than `value` (any number, not only format values).
   * Above the largest finite value: +Infinity (`"ieee"`) or NaN (no larger value exists).
   *
   * @example
   * float16.nextUp(1) // 1.0009765625
   * float16.nextUp(0) // 5.960464477539063e-8
   */
  nextUp(value: number): number;
  /**
   * The largest format value strictly less than `value`; the mirror image of nextUp.
   *
   * @example
   * float16.nextDown(1) // 0.99951171875
   */
  nextDown(value: number): number;
  /**
   * Encodes a whole typed array, giving the same bits as `encode` element by element (a Float64Array is
   * rounded once, straight from float64, never through float32). Writes into `out` when given (length
   * >= values.length) and returns it; otherwise returns a new array. Built for speed: see the benchmark.
   *
   * @example
   * float16.encodeArray(new Float32Array([1, -2, 65504])) // Uint16Array [0x3c00, 0xc000, 0x7bff]
   */
  encodeArray(values: Float32Array | Float64Array, out?: B): B;
  /**
   * Decodes a whole array of bit patterns to float32 values (exact: every value of these formats is a
   * float32; NaN patterns become the canonical float32 NaN). Writes into `out` when given.
   *
   * @example
   * float16.decodeArray(new Uint16Array([0x3c00, 0x7bff])) // Float32Array [1, 65504]
   */
  decodeArray(bits: B, out?: Float32Array): Float32Array;
}
