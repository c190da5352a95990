/** The element types of the IDX format (the third byte of the magic number). */
export type IdxDtype = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

/** The typed array that holds each IDX element type. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: its element type, its dimensions (outermost first) and its elements in row-major order. */
export interface IdxArray {
  readonly dtype: IdxDtype;
  readonly shape: readonly number[];
  readonly data: IdxData;
}

const TYPE_CODES: Readonly<Record<number, { dtype: IdxDtype; size: number }>> = {
  8: { dtype: "uint8", size: 1 },
  9: { dtype: "int8", size: 1 },
  11: { dtype: "int16", size: 2 },
  12: { dtype: "int32", size: 4 },
  13: { dtype: "float32", size: 4 },
  14: { dtype: "float64", size: 8 },
};

/** The four magic bytes as `0x00000803`. */
export function _hexMagic(bytes: Uint8Array): string {
  let s = "0x";
  for (let i = 0; i < 4 && i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, "0");
  return s;
}

/**
 * Parses an uncompressed IDX file (the MNIST format): two zero bytes, a type byte (0x08 uint8,
 * 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, one
 * big-endian uint32 per dimension, then the elements big-endian in row-major order.
 *
 * Browser-safe and synchronous. uint8 and int8 data are views on `bytes` (no copy); wider types are
 * decoded from big-endian into a new array. Gzip input is refused with a pointer to {@link readIdx},
 * which inflates it. Every malformed input throws a RangeError naming `name`: a wrong magic number,
 * an unknown type byte, a truncated header or body, or dimensions that disagree with the size.
 *
 * @param bytes the whole file
 * @param name what to call the file in errors (a path, say)
 *
 * @example
 * // a 1-D uint8 IDX file holding [7, 2, 1]
 * const idx = parseIdx(new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1]));
 * idx.shape // [3]
 * idx.data  // Uint8Array [7, 2, 1]
 */
export function parseIdx(bytes: Uint8Array, name = "bytes"): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new RangeError(
      `${name} is gzip-compressed (magic 1f 8b): inflate it first, e.g. with await readIdx(bytes)`,
    );
  }
  if (bytes.length < 4) {
    throw new RangeError(`${name} is truncated: ${bytes.length} bytes, an IDX header needs at least 4`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new RangeError(
      `${name} has a wrong magic number ${_hexMagic(bytes)}: an IDX file starts with two zero bytes, a type byte and the number of dimensions`,
    );
  }
  const type = TYPE_CODES[bytes[2]!];
  if (type === undefined) {
    throw new RangeError(
      `${name} has a wrong magic number ${_hexMagic(bytes)}: unknown IDX type byte 0x${bytes[2]!.toString(16).padStart(2, "0")} (known: 08, 09, 0b, 0c, 0d, 0e)`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new RangeError(`${name} declares 0 dimensions; an IDX array needs at least 1`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new RangeError(
      `${name} is truncated: its header declares ${rank} dimensions (${headerBytes} header bytes) but the file has ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    const dim = view.getUint32(4 + 4 * d, false);
    shape.push(dim);
    count *= dim;
  }
  const expected = count * type.size;
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw new RangeError(
      `${name} is truncated: dimensions [${shape.join(", ")}] of ${type.dtype} need ${expected} data bytes but the file has ${actual}`,
    );
  }
  if (actual > expected) {
    throw new RangeError(
      `${name}: dimensions [${shape.join(", ")}] of ${type.dtype} disagree with the size: they need ${expected} data bytes but the file has ${actual}`,
    );
  }
  return { dtype: type.dtype, shape, data: decode(view, bytes, headerBytes, count, type.dtype) };
}

function decode(view: DataView, bytes: Uint8Array, offset: number, count: number, dtype: IdxDtype): IdxData {
  switch (dtype) {
    case "uint8":
      return bytes.subarray(offset, offset + count);
    case "int8":
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    case "int16": {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case "int32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case "float32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case "float64": {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}
