import { assertOptions } from "@quantkit/tensor";
/**
 * Packs `bits`-wide codes (bits 2 or 4) little end first: code k goes to byte floor(k / per) at bit
 * offset (k % per) * bits, per = 8 / bits (for 4 bits: low nibble first, as PyTorch's quint4x2 and
 * ONNX's int4). Signed codes (Int8Array) are stored as two's complement fields. A short last byte is
 * zero-padded.
 */
export function _pack(codes: Int8Array | Uint8Array, bits: 2 | 4, fn: string): Uint8Array {
  const signed = codes instanceof Int8Array;
  if (!signed && !(codes instanceof Uint8Array)) {
    throw new TypeError(
      `${fn}: codes must be a Uint8Array (unsigned codes) or an Int8Array (signed codes), got ${Object.prototype.toString.call(codes)}`,
    );
  }
  const per = 8 / bits;
  const fieldMask = (1 << bits) - 1;
  const lo = signed ? -(1 << (bits - 1)) : 0;
  const hi = signed ? (1 << (bits - 1)) - 1 : fieldMask;
  const n = codes.length;
  const out = new Uint8Array(Math.ceil(n / per));
  for (let j = 0, k = 0; k < n; j++) {
    let byte = 0;
    for (let f = 0; f < per && k < n; f++, k++) {
      const v = codes[k]!;
      if (v < lo || v > hi) {
        throw new RangeError(
          `${fn}: codes[${k}] = ${v} is outside the ${signed ? "signed" : "unsigned"} ${bits}-bit range [${lo}, ${hi}]`,
        );
      }
      byte |= (v & fieldMask) << (f * bits);
    }
    out[j] = byte;
  }
  return out;
}

/** Unpacks `length` codes written by `_pack`, sign-extending the fields when `signed`. */
export function _unpack(
  packed: Uint8Array,
  bits: 2 | 4,
  options: { length?: number | undefined; signed?: boolean | undefined },
  fn: string,
): Int8Array | Uint8Array {
  if (!(packed instanceof Uint8Array)) {
    throw new TypeError(`${fn}: packed must be a Uint8Array, got ${Object.prototype.toString.call(packed)}`);
  }
  const per = 8 / bits;
  assertOptions(options, ["length", "signed"], `${fn} options`);
  const length = options.length ?? packed.length * per;
  if (!Number.isInteger(length) || length < 0 || length > packed.length * per) {
    throw new RangeError(
      `${fn}: length must be an integer in [0, ${packed.length * per}] for ${packed.length} bytes, got ${length}`,
    );
  }
  const fieldMask = (1 << bits) - 1;
  const shift = 32 - bits;
  if (options.signed === true) {
    const out = new Int8Array(length);
    for (let k = 0; k < length; k++) {
      const field = (packed[(k / per) | 0]! >> ((k % per) * bits)) & fieldMask;
      out[k] = (field << shift) >> shift; // sign-extend the two's complement field
    }
    return out;
  }
  const out = new Uint8Array(length);
  for (let k = 0; k < length; k++) out[k] = (packed[(k / per) | 0]! >> ((k % per) * bits)) & fieldMask;
  return out;
}
