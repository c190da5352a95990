import { _pack, _unpack } from "./_packing";

/**
 * Packs 4-bit codes two to a byte, low nibble first (element 2k in bits 0-3 of byte k, element 2k + 1 in
 * bits 4-7), the layout of PyTorch's quint4x2 and ONNX's int4/uint4. A Uint8Array holds unsigned codes
 * 0..15 (quint4), an Int8Array signed codes -8..7 (qint4, stored as two's complement nibbles). An odd
 * count leaves the last high nibble 0. n codes take ceil(n / 2) bytes: an eighth of their float32 size.
 *
 * @example
 * import { packInt4 } from "@quantkit/quantizers";
 * packInt4(new Uint8Array([1, 2, 15]))  // Uint8Array [0x21, 0x0f]
 * packInt4(new Int8Array([-1, 7, -8]))  // Uint8Array [0x7f, 0x08]
 */
export function packInt4(codes: Uint8Array | Int8Array): Uint8Array {
  return _pack(codes, 4, "packInt4");
}

/**
 * Unpacks codes written by `packInt4`: `length` codes (default two per byte), unsigned 0..15 in a
 * Uint8Array, or with `signed: true` -8..7 in an Int8Array.
 *
 * @example
 * import { unpackInt4 } from "@quantkit/quantizers";
 * unpackInt4(new Uint8Array([0x7f, 0x08]), { length: 3, signed: true }) // Int8Array [-1, 7, -8]
 * unpackInt4(new Uint8Array([0x21]))                                    // Uint8Array [1, 2]
 */
export function unpackInt4(packed: Uint8Array, options: { length?: number; signed: true }): Int8Array;
export function unpackInt4(packed: Uint8Array, options?: { length?: number; signed?: false }): Uint8Array;
export function unpackInt4(
  packed: Uint8Array,
  options?: { length?: number; signed?: boolean },
): Int8Array | Uint8Array;
export function unpackInt4(
  packed: Uint8Array,
  options: { length?: number; signed?: boolean } = {},
): Int8Array | Uint8Array {
  return _unpack(packed, 4, options, "unpackInt4");
}
