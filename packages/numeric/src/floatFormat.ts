import { _decodeBfloat16, _decodeScalarLoop, _decodeTable, _decodeWithTable } from "./_decodeKernels";
import {
  _copyFloat32Bits,
  _encodeF32Table,
  _encodeF32ToBfloat16,
  _encodeF32ToFloat16,
  _encodeF64Table,
  _float32Tables,
  _float64Tables,
  type _Specials,
  _specials,
  type _Tables,
  type BitsArray,
} from "./_encodeKernels";
import { _describe } from "./_errors";
import { _explain, _fieldsFromBits } from "./_explain";
import {
  _assertPattern,
  _decodeScalar,
  _encodeScalar,
  _exponentOf,
  type _FloatParams,
  _floatParams,
  _pow2,
  type FloatFormatSpec,
  type FloatSpecials,
} from "./_floatParams";

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

type BitsArrayConstructor = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;

/** Little-endian hosts keep a float64's high word second; read once, at first use. */
let highWordIndex: 0 | 1 | undefined;
function _highWordIndex(): 0 | 1 {
  highWordIndex ??= new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  return highWordIndex;
}

function assertNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${_describe(value)}`);
}

class FloatFormatImpl<B extends BitsArray> implements FloatFormat<B> {
  readonly name: string;
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly bias: number;
  readonly totalBits: number;
  readonly specials: FloatSpecials;
  readonly hasInfinity: boolean;
  readonly hasNegativeZero: boolean;
  readonly nanBits: number;
  readonly infinityBits: number | null;
  readonly epsilon: number;
  readonly maxNormal: number;
  readonly minNormal: number;
  readonly maxSubnormal: number;
  readonly minSubnormal: number;
  readonly maxExactInteger: number;

  readonly #p: _FloatParams;
  readonly #Bits: BitsArrayConstructor;
  readonly #shape: "float32" | "float16" | "bfloat16" | "other";
  #f32Tables: _Tables | undefined;
  #f64Tables: _Tables | undefined;
  #specials: _Specials | undefined;
  #decodeTable: Uint32Array | undefined;

  constructor(spec: FloatFormatSpec) {
    const p = _floatParams(spec);
    this.#p = p;
    this.name = p.name;
    this.exponentBits = p.exponentBits;
    this.mantissaBits = p.mantissaBits;
    this.bias = p.bias;
    this.totalBits = p.totalBits;
    this.specials = p.specials;
    this.hasInfinity = p.specials === "ieee";
    this.hasNegativeZero = p.specials !== "fnuz";
    this.nanBits = p.nanBits;
    this.infinityBits = p.specials === "ieee" ? p.infinityAbs : null;
    this.epsilon = p.epsilon;
    this.maxNormal = p.maxNormal;
    this.minNormal = p.minNormal;
    this.maxSubnormal = p.maxSubnormal;
    this.minSubnormal = p.minSubnormal;
    this.maxExactInteger = 2 ** (p.mantissaBits + 1);
    this.#Bits = p.totalBits <= 8 ? Uint8Array : p.totalBits <= 16 ? Uint16Array : Uint32Array;
    const ieee127 = p.specials === "ieee" && p.exponentBits === 8 && p.bias === 127;
    this.#shape =
      ieee127 && p.mantissaBits === 23 && p.nanBits === 0x7fc00000
        ? "float32"
        : ieee127 && p.mantissaBits === 7 && p.nanBits === 0x7fc0
          ? "bfloat16"
          : p.specials === "ieee" &&
              p.exponentBits === 5 &&
              p.mantissaBits === 10 &&
              p.bias === 15 &&
              p.nanBits === 0x7e00
            ? "float16"
            : "other";
    // Methods are bound so that `const { encode } = float16` works.
    this.encode = this.encode.bind(this);
    this.decode = this.decode.bind(this);
    this.round = this.round.bind(this);
    this.fields = this.fields.bind(this);
    this.fieldsFromBits = this.fieldsFromBits.bind(this);
    this.explain = this.explain.bind(this);
    this.ulp = this.ulp.bind(this);
    this.nextUp = this.nextUp.bind(this);
    this.nextDown = this.nextDown.bind(this);
    this.encodeArray = this.encodeArray.bind(this);
    this.decodeArray = this.decodeArray.bind(this);
  }

  encode(value: number): number {
    assertNumber(value, "value");
    return _encodeScalar(this.#p, value);
  }

  decode(bits: number): number {
    _assertPattern(this.#p, bits);
    return _decodeScalar(this.#p, bits);
  }

  round(value: number): number {
    assertNumber(value, "value");
    return _decodeScalar(this.#p, _encodeScalar(this.#p, value));
  }

  fields(value: number): FloatFields {
    assertNumber(value, "value");
    return _fieldsFromBits(this.#p, _encodeScalar(this.#p, value));
  }

  fieldsFromBits(bits: number): FloatFields {
    _assertPattern(this.#p, bits);
    return _fieldsFromBits(this.#p, bits);
  }

  explain(value: number): FloatExplanation {
    assertNumber(value, "value");
    return _explain(this.#p, value);
  }

  ulp(value: number): number {
    assertNumber(value, "value");
    const p = this.#p;
    if (Number.isNaN(value)) return Number.NaN;
    const a = Math.abs(value);
    if (a === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    if (a < p.minNormal) return p.minSubnormal;
    const e = Math.min(_exponentOf(a), p.emax);
    return _pow2(e - p.mantissaBits);
  }

  nextUp(value: number): number {
    assertNumber(value, "value");
    return this.#nextUp(value);
  }

  nextDown(value: number): number {
    assertNumber(value, "value");
    const r = -this.#nextUp(-value);
    return r === 0 && !this.hasNegativeZero ? 0 : r;
  }

  #nextUp(x: number): number {
    const p = this.#p;
    if (Number.isNaN(x)) return Number.NaN;
    if (x >= p.maxNormal) return this.hasInfinity ? Number.POSITIVE_INFINITY : Number.NaN;
    if (x < -p.maxNormal) return -p.maxNormal;
    const bits = _encodeScalar(p, x); // finite: |x| <= maxNormal cannot round past it
    const r = _decodeScalar(p, bits);
    if (r > x) return r; // the nearest value above x is the smallest one above it
    if (r === 0) return p.minSubnormal;
    if (r > 0) return _decodeScalar(p, bits + 1); // r < maxNormal here, so bits + 1 is finite
    if (r === -p.minSubnormal) return this.hasNegativeZero ? -0 : 0;
    return _decodeScalar(p, bits - 1); // a negative pattern one step toward zero
  }

  encodeArray(values: Float32Array | Float64Array, out?: B): B {
    const isF32 = values instanceof Float32Array;
    if (!isF32 && !(values instanceof Float64Array)) {
      throw new TypeError(`values must be a Float32Array or a Float64Array, got ${_describe(values)}`);
    }
    const n = values.length;
    const result = this.#checkOut(out, n, "out") as BitsArray;
    const p = this.#p;
    if (isF32) {
      const src = new Int32Array(values.buffer, values.byteOffset, n); // a view: no copy
      if (this.#shape === "float16") {
        _encodeF32ToFloat16(src, result as Uint16Array, n, (this.#f32Tables ??= _float32Tables(p)));
      } else if (this.#shape === "bfloat16") {
        _encodeF32ToBfloat16(src, result as Uint16Array, n, p.nanBits);
      } else if (this.#shape === "float32") {
        _copyFloat32Bits(src, new Int32Array(result.buffer, result.byteOffset, n), n);
      } else if (p.mantissaBits <= 22 && p.minSubnormal >= 2 ** -125) {
        this.#specials ??= _specials(p);
        _encodeF32Table(src, result, n, (this.#f32Tables ??= _float32Tables(p)), this.#specials);
      } else {
        for (let i = 0; i < n; i++) result[i] = _encodeScalar(p, values[i]!);
      }
    } else if (p.mantissaBits <= 19) {
      this.#specials ??= _specials(p);
      const src = new Int32Array(values.buffer, values.byteOffset, 2 * n);
      _encodeF64Table(
        src,
        _highWordIndex(),
        result,
        n,
        (this.#f64Tables ??= _float64Tables(p)),
        this.#specials,
      );
    } else if (this.#shape === "float32") {
      // TypedArray.prototype.set converts double -> float natively (one IEEE round to nearest even).
      new Float32Array(result.buffer, result.byteOffset, n).set(values);
      const bits = new Int32Array(result.buffer, result.byteOffset, n);
      _copyFloat32Bits(bits, bits, n);
    } else {
      for (let i = 0; i < n; i++) result[i] = _encodeScalar(p, values[i]!);
    }
    return result as B;
  }

  decodeArray(bits: B, out?: Float32Array): Float32Array {
    const p = this.#p;
    if (!(bits instanceof this.#Bits)) {
      throw new TypeError(`bits must be a ${this.#Bits.name} of ${p.name} patterns, got ${_describe(bits)}`);
    }
    const n = bits.length;
    if (out !== undefined && !(out instanceof Float32Array)) {
      throw new TypeError(`out must be a Float32Array, got ${_describe(out)}`);
    }
    if (out !== undefined && out.length < n) {
      throw new RangeError(`out.length must be >= bits.length (${n}), got ${out.length}`);
    }
    if (p.totalBits !== 8 && p.totalBits !== 16 && p.totalBits !== 32) {
      for (let i = 0; i < n; i++) {
        if (bits[i]! > p.maxPattern) _assertPattern(p, bits[i], `bits[${i}]`);
      }
    }
    const result = out ?? new Float32Array(n);
    const out32 = new Uint32Array(result.buffer, result.byteOffset, n);
    if (this.#shape === "bfloat16") _decodeBfloat16(bits as Uint16Array, out32, n);
    else if (this.#shape === "float32") {
      _copyFloat32Bits(
        new Int32Array(bits.buffer, bits.byteOffset, n),
        new Int32Array(out32.buffer, out32.byteOffset, n),
        n,
      );
    } else if (p.totalBits <= 16) _decodeWithTable(bits, out32, n, (this.#decodeTable ??= _decodeTable(p)));
    else {
      _decodeScalarLoop(p, bits, result, n);
      const raw = new Int32Array(result.buffer, result.byteOffset, n);
      _copyFloat32Bits(raw, raw, n); // whatever NaN the engine stored becomes the canonical one
    }
    return result;
  }

  #checkOut(out: B | undefined, n: number, name: string): B {
    if (out === undefined) return new this.#Bits(n) as B;
    if (!(out instanceof this.#Bits)) {
      throw new TypeError(`${name} must be a ${this.#Bits.name} for ${this.#p.name}, got ${_describe(out)}`);
    }
    if (out.length < n)
      throw new RangeError(`${name}.length must be >= values.length (${n}), got ${out.length}`);
    return out;
  }
}

/**
 * Makes a {@link FloatFormat} from its layout: any sign/exponent/mantissa split up to 32 bits whose
 * values are all float32 values (exponentBits 2..8, mantissaBits 1..23), with IEEE, FN or FNUZ
 * specials. The named formats (float16, bfloat16, ...) are made with it.
 *
 * @example
 * const e3m2 = createFloatFormat({ name: "e3m2fn", exponentBits: 3, mantissaBits: 2, specials: "fn" });
 * e3m2.maxNormal // 24
 * e3m2.encode(1) // 0b001100
 */
export function createFloatFormat<B extends BitsArray = BitsArray>(spec: FloatFormatSpec): FloatFormat<B> {
  return new FloatFormatImpl<B>(spec);
}
