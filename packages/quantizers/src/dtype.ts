import { assertOptions } from "@quantkit/tensor";
/**
 * Quantized dtypes, named as PyTorch names them (`torch.quint8`, `torch.qint8`, `torch.qint32`),
 * plus the 4-bit and 2-bit ones used for weights.
 */
export type DType = "quint8" | "qint8" | "qint32" | "quint4" | "qint4" | "quint2" | "qint2";

/** The integer range of a dtype: codes live in [quantMin, quantMax]. */
export interface QRange {
  quantMin: number;
  quantMax: number;
}

/** Each dtype's bit width, signedness and full range. */
export const DTYPES: Readonly<
  Record<DType, { bits: number; signed: boolean; quantMin: number; quantMax: number }>
> = {
  quint8: { bits: 8, signed: false, quantMin: 0, quantMax: 255 },
  qint8: { bits: 8, signed: true, quantMin: -128, quantMax: 127 },
  qint32: { bits: 32, signed: true, quantMin: -2147483648, quantMax: 2147483647 },
  quint4: { bits: 4, signed: false, quantMin: 0, quantMax: 15 },
  qint4: { bits: 4, signed: true, quantMin: -8, quantMax: 7 },
  quint2: { bits: 2, signed: false, quantMin: 0, quantMax: 3 },
  qint2: { bits: 2, signed: true, quantMin: -2, quantMax: 1 },
};

/**
 * Checks a dtype name, throwing a TypeError that lists the valid ones.
 *
 * @example
 * assertDType("quint8") // ok
 * assertDType("uint8")  // throws TypeError: dtype must be one of quint8, qint8, ...; got "uint8"
 */
export function assertDType(dtype: unknown, name = "dtype"): asserts dtype is DType {
  if (typeof dtype !== "string" || !Object.hasOwn(DTYPES, dtype)) {
    throw new TypeError(
      `${name} must be one of ${Object.keys(DTYPES).join(", ")}; got ${JSON.stringify(dtype)}`,
    );
  }
}

/**
 * The smallest-width unsigned or signed dtype name for a bit width, when one exists.
 *
 * @example
 * dtypeForBits(4, false) // "quint4"
 */
export function dtypeForBits(bits: number, signed: boolean): DType | undefined {
  for (const [name, d] of Object.entries(DTYPES)) {
    if (d.bits === bits && d.signed === signed) return name as DType;
  }
  return undefined;
}

/**
 * The integer range of a bit width: [0, 2^bits - 1] unsigned, [-2^(bits-1), 2^(bits-1) - 1] signed,
 * and with `narrowRange` the symmetric [-(2^(bits-1) - 1), 2^(bits-1) - 1] (e.g. -127..127).
 *
 * @example
 * rangeForBits(8, true)                        // { quantMin: -128, quantMax: 127 }
 * rangeForBits(8, true, { narrowRange: true }) // { quantMin: -127, quantMax: 127 }
 * rangeForBits(3, false)                       // { quantMin: 0, quantMax: 7 }
 */
export function rangeForBits(bits: number, signed: boolean, options: { narrowRange?: boolean } = {}): QRange {
  assertOptions(options, ["narrowRange"], "rangeForBits options");
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) {
    throw new RangeError(`bits must be an integer in 1..16, got ${_show(bits)}`);
  }
  if (!signed) return { quantMin: 0, quantMax: 2 ** bits - 1 };
  const half = 2 ** (bits - 1);
  if (options.narrowRange) {
    if (bits < 2) throw new RangeError(`narrowRange needs at least 2 bits, got ${bits}`);
    return { quantMin: -(half - 1), quantMax: half - 1 };
  }
  return { quantMin: -half, quantMax: half - 1 };
}

/**
 * PyTorch's `calculate_qmin_qmax`: the range an observer quantizes into. With a custom
 * `quantMin`/`quantMax` it must contain 0 and hold at most 2^16 codes (quantkit's 1..16 bits; 2^32
 * for qint32); `reduceRange` halves it (floor division, as PyTorch: quint8 0..127, qint8 -64..63).
 *
 * @example
 * calculateQRange("quint8")                         // { quantMin: 0, quantMax: 255 }
 * calculateQRange("qint8", { reduceRange: true })   // { quantMin: -64, quantMax: 63 }
 * calculateQRange("quint8", { quantMin: 0, quantMax: 15 }) // { quantMin: 0, quantMax: 15 }
 */
export function calculateQRange(
  dtype: DType,
  options: {
    quantMin?: number | undefined;
    quantMax?: number | undefined;
    reduceRange?: boolean | undefined;
  } = {},
): QRange {
  assertDType(dtype);
  assertOptions(options, ["quantMin", "quantMax", "reduceRange"], "calculateQRange options");
  const { quantMin, quantMax, reduceRange = false } = options;
  let qmin: number;
  let qmax: number;
  if (quantMin !== undefined || quantMax !== undefined) {
    if (quantMin === undefined || quantMax === undefined) {
      throw new TypeError(
        `quantMin and quantMax go together; got quantMin=${quantMin}, quantMax=${quantMax}`,
      );
    }
    validateQRange(quantMin, quantMax, dtype === "qint32" ? 2 ** 32 : 2 ** 16);
    _assertDTypeRange(dtype, quantMin, quantMax);
    qmin = quantMin;
    qmax = quantMax;
  } else {
    qmin = DTYPES[dtype].quantMin;
    qmax = DTYPES[dtype].quantMax;
  }
  if (reduceRange) {
    qmin = Math.floor(qmin / 2);
    qmax = Math.floor(qmax / 2);
  }
  return { quantMin: qmin, quantMax: qmax };
}

/**
 * Checks a custom integer range as PyTorch's `validate_qmin_qmax` does (it must contain 0 and
 * quantMin < quantMax) and that it holds at most `maxCodes` codes.
 *
 * @example
 * validateQRange(-8, 7) // ok
 * validateQRange(1, 7)  // throws RangeError: the range [1, 7] must include 0 ...
 */
export function validateQRange(quantMin: number, quantMax: number, maxCodes = 2 ** 16): void {
  if (!Number.isInteger(quantMin)) throw new TypeError(`quantMin must be an integer, got ${_show(quantMin)}`);
  if (!Number.isInteger(quantMax)) throw new TypeError(`quantMax must be an integer, got ${_show(quantMax)}`);
  if (quantMin >= quantMax) {
    throw new RangeError(
      `quantMin must be less than quantMax, got quantMin=${quantMin}, quantMax=${quantMax}`,
    );
  }
  if (!(quantMin <= 0 && 0 <= quantMax)) {
    throw new RangeError(`the range [${quantMin}, ${quantMax}] must include 0 (quantMin <= 0 <= quantMax)`);
  }
  if (quantMax - quantMin + 1 > maxCodes) {
    throw new RangeError(
      `the range [${quantMin}, ${quantMax}] holds ${quantMax - quantMin + 1} codes, more than ${maxCodes} (bits 1..${Math.log2(maxCodes)})`,
    );
  }
}

/**
 * Checks that [quantMin, quantMax] suits `dtype`: within the dtype's own range (PyTorch's rule for a
 * custom range), or the full or narrow range of a wider bit width up to 16 with the dtype's signedness
 * (quantkit's 9..16-bit codes, as `rangeForBits` gives them, reduced by `reduceRange` or not). So quint8
 * with 0..300 and qint8 with 0..255 are errors; quint8 with 0..65535 is 16-bit unsigned. qint32 takes
 * any int32 range.
 */
export function _assertDTypeRange(dtype: DType, quantMin: number, quantMax: number, prefix = ""): void {
  if (dtype === "qint32") return;
  const d = DTYPES[dtype];
  if (quantMin >= d.quantMin && quantMax <= d.quantMax) return;
  for (let bits = d.bits + 1; bits <= 16; bits++) {
    const half = 2 ** (bits - 1);
    if (!d.signed && quantMin === 0 && quantMax === 2 * half - 1) return;
    if (d.signed && quantMax === half - 1 && (quantMin === -half || quantMin === -(half - 1))) return;
  }
  throw new RangeError(
    `${prefix}quantMin..${prefix}quantMax = [${quantMin}, ${quantMax}] does not suit dtype ${dtype}: it lies outside ${dtype}'s range [${d.quantMin}, ${d.quantMax}] and is not the full range of a wider ${d.signed ? "signed" : "unsigned"} bit width (up to 16 bits)`,
  );
}

/** A value for an error message: numbers as they print, anything else as JSON ("8" stays quoted). */
export function _show(v: unknown): string {
  return typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v));
}
