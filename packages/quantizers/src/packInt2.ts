import { _pack, _unpack } from "./_packing";

/**
 * Packs 2-bit codes four to a byte, lowest bits first (element 4k + f in bits 2f..2f+1 of byte k), the
 * layout of PyTorch's quint2x4. A Uint8Array holds unsigned codes 0..3 (quint2), an Int8Array signed
 * codes -2..1 (qint2, two's complement). n codes take ceil(n / 4) bytes: a sixteenth of float32.
 *
 * @example
 * import { packInt2 } from "@quantkit/quantizers";
 * packInt2(new Uint8Array([0, 1, 2, 3, 1])) // Uint8Array [0xe4, 0x01]
 * packInt2(new Int8Array([-2, -1, 0, 1]))   // Uint8Array [0x4e]
 */
export function packInt2(codes: Uint8Array | Int8Array): Uint8Array {
  return _pack(codes, 2, "packInt2");
}

/**
 * Unpacks codes written by `packInt2`: `length` codes (default four per byte), unsigned 0..3 in a
 * Uint8Array, or with `signed: true` -2..1 in an Int8Array.
 *
 * @example
 * import { unpackInt2 } from "@quantkit/quantizers";
 * unpackInt2(new Uint8Array([0x4e]), { signed: true })    // Int8Array [-2, -1, 0, 1]
 * unpackInt2(new Uint8Array([0xe4, 0x01]), { length: 5 }) // Uint8Array [0, 1, 2, 3, 1]
 */
export function unpackInt2(packed: Uint8Array, options: { length?: number; signed: true }): Int8Array;
export function unpackInt2(packed: Uint8Array, options?: { length?: number; signed?: false }): Uint8Array;
export function unpackInt2(
  packed: Uint8Array,
  options?: { length?: number; signed?: boolean },
): Int8Array | Uint8Array;
export function unpackInt2(
  packed: Uint8Array,
  options: { length?: number; signed?: boolean } = {},
): Int8Array | Uint8Array {
  return _unpack(packed, 2, options, "unpackInt2");
}
