import type { BitsArray } from "./_encodeKernels";
import { _decodeScalar, type _FloatParams } from "./_floatParams";

/** The float32 bits of canonical NaN, which every NaN pattern decodes to in decodeArray. */
export const _FLOAT32_NAN = 0x7fc00000;

/**
 * float32 bit patterns of every pattern of a format with totalBits <= 16 (65,536 entries for float16:
 * 256 KiB, L2-resident; one load per element beats recomputing the fields, measured ~2x).
 * Exact: every value of a format that createFloatFormat accepts is a float32.
 */
export function _decodeTable(p: _FloatParams): Uint32Array {
  const size = 2 ** p.totalBits;
  const table = new Uint32Array(size);
  const f32 = new Float32Array(table.buffer);
  for (let bits = 0; bits < size; bits++) {
    const v = _decodeScalar(p, bits);
    if (Number.isNaN(v)) table[bits] = _FLOAT32_NAN;
    else f32[bits] = v;
  }
  return table;
}

/** bits -> float32 bits through the table (patterns already known to be in range). */
export function _decodeWithTable(src: BitsArray, out: Uint32Array, n: number, table: Uint32Array): void {
  for (let i = 0; i < n; i++) out[i] = table[src[i]!]!;
}

/** bfloat16 -> float32: the pattern is the top half of the float32 (NaN made canonical). */
export function _decodeBfloat16(src: Uint16Array, out: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = src[i]!;
    out[i] = (b & 0x7fff) > 0x7f80 ? _FLOAT32_NAN : b << 16;
  }
}

/** Any format, one pattern at a time (custom formats wider than 16 bits). */
export function _decodeScalarLoop(p: _FloatParams, src: BitsArray, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = _decodeScalar(p, src[i]!);
}
