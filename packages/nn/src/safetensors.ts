/** The element types of the safetensors format. F16, BF16 and F8 data are kept as raw bits. */
export type SafetensorsDtype =
  | "BOOL"
  | "U8"
  | "I8"
  | "F8_E4M3"
  | "F8_E5M2"
  | "U16"
  | "I16"
  | "F16"
  | "BF16"
  | "U32"
  | "I32"
  | "F32"
  | "U64"
  | "I64"
  | "F64";

/** The typed array that holds each dtype (F16/BF16 as Uint16Array bits, F8 and BOOL as Uint8Array bytes). */
export interface SafetensorsArrays {
  BOOL: Uint8Array;
  U8: Uint8Array;
  I8: Int8Array;
  F8_E4M3: Uint8Array;
  F8_E5M2: Uint8Array;
  U16: Uint16Array;
  I16: Int16Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  U32: Uint32Array;
  I32: Int32Array;
  F32: Float32Array;
  U64: BigUint64Array;
  I64: BigInt64Array;
  F64: Float64Array;
}

/** One tensor of a safetensors file: dtype, shape (outermost first) and row-major data. */
export type SafetensorsTensor = {
  [D in SafetensorsDtype]: {
    readonly dtype: D;
    readonly shape: readonly number[];
    readonly data: SafetensorsArrays[D];
  };
}[SafetensorsDtype];

/** A tensor to write; `dtype` may be left out when the array type says it (Float32Array is F32, Int8Array I8, ...). */
export interface SafetensorsInput {
  readonly dtype?: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: SafetensorsArrays[SafetensorsDtype];
}

/** Options of {@link serializeSafetensors}. */
export interface SerializeSafetensorsOptions {
  /**
   * Stamp `__metadata__.quantkit_crc32`, the CRC-32 of the whole file, which `parseSafetensors` then
   * verifies (any changed byte is an error). Default false (plain safetensors).
   */
  checksum?: boolean;
}

/** Options of {@link parseSafetensors}. */
export interface ParseSafetensorsOptions {
  /** Reject a file without `__metadata__.quantkit_crc32` (one that has it is always verified). Default false. */
  requireChecksum?: boolean;
}

/** What {@link parseSafetensors} returns. */
export interface SafetensorsFile {
  /** Tensors by name, in file order (a null-prototype object, so any name is safe). */
  readonly tensors: Record<string, SafetensorsTensor>;
  /** The `__metadata__` map of strings (empty when absent). */
  readonly metadata: Record<string, string>;
}

export const _SPECS: Readonly<
  Record<
    SafetensorsDtype,
    {
      size: number;
      array: new (buffer: ArrayBuffer, offset: number, length: number) => SafetensorsArrays[SafetensorsDtype];
    }
  >
> = {
  BOOL: { size: 1, array: Uint8Array },
  U8: { size: 1, array: Uint8Array },
  I8: { size: 1, array: Int8Array },
  F8_E4M3: { size: 1, array: Uint8Array },
  F8_E5M2: { size: 1, array: Uint8Array },
  U16: { size: 2, array: Uint16Array },
  I16: { size: 2, array: Int16Array },
  F16: { size: 2, array: Uint16Array },
  BF16: { size: 2, array: Uint16Array },
  U32: { size: 4, array: Uint32Array },
  I32: { size: 4, array: Int32Array },
  F32: { size: 4, array: Float32Array },
  U64: { size: 8, array: BigUint64Array },
  I64: { size: 8, array: BigInt64Array },
  F64: { size: 8, array: Float64Array },
};

/** The safetensors dtypes this package reads and writes, with their sizes in bytes. */
export const SAFETENSORS_DTYPE_SIZES: Readonly<Record<SafetensorsDtype, number>> = Object.fromEntries(
  Object.entries(_SPECS).map(([d, s]) => [d, s.size]),
) as Record<SafetensorsDtype, number>;

/** The reference implementation's limit on the header (100 MB). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function _assertLittleEndian(): void {
  if (!LITTLE_ENDIAN)
    throw new Error("safetensors: this platform is big-endian; only little-endian platforms are supported");
}

export function _isDtype(d: unknown): d is SafetensorsDtype {
  return typeof d === "string" && Object.hasOwn(_SPECS, d);
}

/** The dtype an array's type implies (ambiguous arrays: Uint8Array is U8, Uint16Array is F16 only if said). */
export function _inferDtype(data: unknown): SafetensorsDtype | undefined {
  if (data instanceof Float32Array) return "F32";
  if (data instanceof Float64Array) return "F64";
  if (data instanceof Int8Array) return "I8";
  if (data instanceof Uint8Array) return "U8";
  if (data instanceof Int16Array) return "I16";
  if (data instanceof Uint16Array) return "U16";
  if (data instanceof Int32Array) return "I32";
  if (data instanceof Uint32Array) return "U32";
  if (data instanceof BigInt64Array) return "I64";
  if (data instanceof BigUint64Array) return "U64";
  return undefined;
}

export function _checkShape(shape: unknown, where: string): number {
  if (!Array.isArray(shape))
    throw new RangeError(
      `${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new RangeError(
        `${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
      );
    n *= d;
  }
  if (!Number.isSafeInteger(n))
    throw new RangeError(`${where}: shape ${JSON.stringify(shape)} has too many elements`);
  return n;
}
