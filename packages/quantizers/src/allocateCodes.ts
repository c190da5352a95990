import type { DType } from "./dtype";

/** The typed arrays that hold integer codes. */
export type QuantizedArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array;

/** The code array a dtype's full range comes back in: unsigned -> Uint8Array, signed -> Int8Array, qint32 -> Int32Array. */
export type CodesOf<D extends DType> = D extends "qint32"
  ? Int32Array
  : D extends "quint8" | "quint4" | "quint2"
    ? Uint8Array
    : Int8Array;

/**
 * Allocates the natural typed array for codes in [quantMin, quantMax]: Uint8Array within 0..255,
 * Int8Array within -128..127, Uint16Array within 0..65535, Int16Array within -32768..32767, and
 * Int32Array otherwise or whenever `dtype` is "qint32" (PyTorch's `int_repr` of a qint32 tensor).
 * 4-bit and 2-bit codes come unpacked, one per byte (`packInt4` / `packInt2` pack them).
 *
 * @example
 * allocateCodes(3, 0, 255)    // Uint8Array(3)
 * allocateCodes(3, -8, 7)     // Int8Array(3)
 * allocateCodes(3, -512, 511) // Int16Array(3)
 */
export function allocateCodes(
  length: number,
  quantMin: number,
  quantMax: number,
  dtype?: DType,
): QuantizedArray {
  if (dtype === "qint32") return new Int32Array(length);
  if (quantMin >= 0 && quantMax <= 255) return new Uint8Array(length);
  if (quantMin >= -128 && quantMax <= 127) return new Int8Array(length);
  if (quantMin >= 0 && quantMax <= 65535) return new Uint16Array(length);
  if (quantMin >= -32768 && quantMax <= 32767) return new Int16Array(length);
  return new Int32Array(length);
}
