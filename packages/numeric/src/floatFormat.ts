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

import type { FloatExplanation, FloatFields, FloatFormat } from "./types";

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
