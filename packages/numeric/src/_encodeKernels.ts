import type { _FloatParams } from "./_floatParams";

/** A typed array of bit patterns: Uint8Array (8-bit formats), Uint16Array (9..16) or Uint32Array (17..32). */
export type BitsArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * Per-exponent tables for the float32 -> format conversion of a format with mantissaBits <= 22 whose
 * smallest subnormal is >= 2^-125 (so float32 subnormals all round to zero).
 * For a float32 with exponent field E (sign stripped) and 24-bit significand `full` (implicit bit set):
 *   pattern = min(base[E] + roundHalfEven(full / 2^shift[E]), clampAbs)
 * base holds (exponent field - 1) << mantissaBits, so the implicit bit that lands at 2^mantissaBits
 * completes it, and a mantissa that rounds up carries into the exponent on its own: in an IEEE format
 * from the largest finite value straight to the Infinity pattern. Exponents past the format's range
 * (and Infinity) get base = the overflow pattern (Infinity, or NaN without infinities) and shift 25,
 * a zero contribution. In FN / FNUZ formats a carry can pass the NaN pattern, hence the clamp.
 */
export interface _Tables {
  readonly base: Int32Array;
  readonly shift: Int32Array;
}

/** The sign-free pattern every overflow ends at: Infinity (`"ieee"`), S.1..1.1..1 (`"fn"`), 1.0..0.0..0 (`"fnuz"`). */
function overflowAbs(p: _FloatParams): number {
  return p.specials === "ieee" ? p.infinityAbs : p.specials === "fn" ? p.signBit - 1 : p.signBit;
}

/** The tables for float32 inputs (indexed by the 8-bit exponent field). */
export function _float32Tables(p: _FloatParams): _Tables {
  const base = new Int32Array(256);
  const shift = new Int32Array(256);
  for (let field = 0; field < 256; field++) {
    const e = field - 127;
    if (field === 0) {
      base[field] = 0; // float32 zero and subnormals (< 2^-126) round to zero in these formats
      shift[field] = 25;
    } else if (field === 255 || e > p.emax) {
      base[field] = overflowAbs(p);
      shift[field] = 25;
    } else {
      const eq = Math.max(e, p.emin);
      base[field] = (eq + p.bias - 1) * p.implicit;
      // shift 25 already rounds every 24-bit significand to 0 (full / 2^25 < 1/2): cap it there.
      shift[field] = Math.min(25, 23 - p.mantissaBits + (eq - e));
    }
  }
  return { base, shift };
}

/**
 * The tables for float64 inputs (indexed by the 11-bit exponent field), for mantissaBits <= 19.
 * The kernel keeps the top 21 significand bits (implicit bit included) from the high word and folds
 * the low word into one sticky bit: `full` = (top21 << 1) | (low != 0), 22 bits. With shift >= 2 the
 * sticky bit sits strictly below the rounding position, so ties and "just above a tie" stay apart.
 */
export function _float64Tables(p: _FloatParams): _Tables {
  const base = new Int32Array(2048);
  const shift = new Int32Array(2048);
  for (let field = 0; field < 2048; field++) {
    const e = field - 1023;
    if (field === 0) {
      base[field] = 0; // float64 zero and subnormals (< 2^-1022) round to zero
      shift[field] = 23;
    } else if (field === 2047 || e > p.emax) {
      base[field] = overflowAbs(p);
      shift[field] = 23;
    } else {
      const eq = Math.max(e, p.emin);
      base[field] = (eq + p.bias - 1) * p.implicit;
      shift[field] = Math.min(23, 21 - p.mantissaBits + (eq - e));
    }
  }
  return { base, shift };
}

/** The constants of the table kernels besides the tables. */
export interface _Specials {
  /** The largest sign-free result: the overflow pattern (see _Tables). */
  readonly clampAbs: number;
  /** totalBits - 1 (at most 30 on the table paths, so the shifted sign stays a positive int32). */
  readonly signShift: number;
  /** What a NaN input becomes. */
  readonly nanBits: number;
  /** 1 when -0 exists (the sign goes on a zero result too), 0 for FNUZ formats. */
  readonly zeroSign: number;
}

export function _specials(p: _FloatParams): _Specials {
  return {
    clampAbs: overflowAbs(p),
    signShift: p.totalBits - 1,
    nanBits: p.nanBits,
    zeroSign: p.specials === "fnuz" ? 0 : 1,
  };
}

/**
 * float32 bits (as Int32Array, so V8 keeps every value an int32) -> format bits, any table format.
 * The sign goes in with `|`, branch-free (a random sign would mispredict half the time): -h >>> 31 is
 * 1 for h > 0, so FNUZ formats (zeroSign 0) give +0 for a negative zero, and their NaN, which is the
 * sign bit alone, stays itself. Only a NaN input branches (rare, so predicted).
 */
export function _encodeF32Table(src: Int32Array, out: BitsArray, n: number, t: _Tables, s: _Specials): void {
  const { base, shift } = t;
  const { clampAbs, signShift, nanBits, zeroSign } = s;
  for (let i = 0; i < n; i++) {
    const f = src[i]!;
    const a = f & 0x7fffffff;
    const e = a >>> 23;
    const sh = shift[e]!;
    const full = (a & 0x7fffff) | 0x800000;
    const h = Math.min(base[e]! + ((full + (1 << (sh - 1)) - 1 + ((full >>> sh) & 1)) >>> sh), clampAbs);
    out[i] = a > 0x7f800000 ? nanBits : h | (((f >>> 31) & ((-h >>> 31) | zeroSign)) << signShift);
  }
}

/**
 * float64 words (as Int32Array: low word then high word on little-endian hosts, `hi` = 1) -> format
 * bits, for the formats _float64Tables accepts.
 */
export function _encodeF64Table(
  src: Int32Array,
  hi: 0 | 1,
  out: BitsArray,
  n: number,
  t: _Tables,
  s: _Specials,
): void {
  const { base, shift } = t;
  const { clampAbs, signShift, nanBits, zeroSign } = s;
  const lo = 1 - hi;
  for (let i = 0; i < n; i++) {
    const f = src[2 * i + hi]!;
    const low = src[2 * i + lo]!;
    const a = f & 0x7fffffff;
    const e = a >>> 20;
    const sh = shift[e]!;
    const full = (((a & 0xfffff) | 0x100000) << 1) | (low !== 0 ? 1 : 0);
    const h = Math.min(base[e]! + ((full + (1 << (sh - 1)) - 1 + ((full >>> sh) & 1)) >>> sh), clampAbs);
    const nan = a >= 0x7ff00000 && (a > 0x7ff00000 || low !== 0);
    out[i] = nan ? nanBits : h | (((f >>> 31) & ((-h >>> 31) | zeroSign)) << signShift);
  }
}

/**
 * float32 -> float16 (IEEE binary16, canonical NaN 0x7e00): _encodeF32Table with the constants
 * inlined and without the clamp and the FNUZ zero rule, which IEEE formats do not need (a carry ends
 * exactly at Infinity, 0x7c00). Branch-free but for NaN inputs: zeros, subnormals, overflow and random
 * signs cost the same as normals. Measured on 16M values on this machine's 2 shared cores, against
 * the generic kernel: ~2x on N(0,1) data; and ~3x on random bit patterns against a version that
 * branched on overflow (`h > 0x7bff`), which mispredicts there.
 */
export function _encodeF32ToFloat16(src: Int32Array, out: Uint16Array, n: number, t: _Tables): void {
  const { base, shift } = t;
  for (let i = 0; i < n; i++) {
    const f = src[i]!;
    const a = f & 0x7fffffff;
    const e = a >>> 23;
    const sh = shift[e]!;
    const full = (a & 0x7fffff) | 0x800000;
    const h = base[e]! + ((full + (1 << (sh - 1)) - 1 + ((full >>> sh) & 1)) >>> sh);
    out[i] = a > 0x7f800000 ? 0x7e00 : h | ((f >>> 16) & 0x8000);
  }
}

/**
 * float32 -> bfloat16: bfloat16 is the top half of a float32, so rounding to nearest even is one add
 * of 0x7fff plus the lowest kept bit; a carry runs into the exponent and past the largest finite value
 * to Infinity by itself. NaN becomes the canonical `nanBits` (a NaN with only low payload bits would
 * otherwise truncate to Infinity). Valid for any float32 input.
 */
export function _encodeF32ToBfloat16(src: Int32Array, out: Uint16Array, n: number, nanBits: number): void {
  for (let i = 0; i < n; i++) {
    const f = src[i]!;
    if ((f & 0x7fffffff) > 0x7f800000) out[i] = nanBits;
    else out[i] = (f + 0x7fff + ((f >>> 16) & 1)) >>> 16;
  }
}

/** float32 -> float32 bits: a copy in which every NaN becomes the canonical 0x7fc00000. */
export function _copyFloat32Bits(src: Int32Array, out: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const f = src[i]!;
    out[i] = (f & 0x7fffffff) > 0x7f800000 ? 0x7fc00000 : f;
  }
}
