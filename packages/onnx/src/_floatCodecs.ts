import {
  bfloat16,
  type FloatFormat,
  float8e4m3fn,
  float8e4m3fnuz,
  float8e5m2,
  float8e5m2fnuz,
  float16,
} from "@quantkit/numeric";

/** The @quantkit/numeric format of ONNX's 16- and 8-bit float data types. */
export const _FLOAT_FORMATS: Readonly<Record<number, FloatFormat<Uint16Array> | FloatFormat<Uint8Array>>> = {
  10: float16,
  16: bfloat16,
  17: float8e4m3fn,
  18: float8e4m3fnuz,
  19: float8e5m2,
  20: float8e5m2fnuz,
};

const _E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

/** float4e2m1 code (0..15, sign in bit 3) to its value. */
export function _decodeFloat4e2m1(code: number): number {
  const v = _E2M1[code & 7]!;
  return code & 8 ? -v : v;
}

/** float8e8m0 code to its value: 2^(code - 127), 0xff is NaN. */
export function _decodeFloat8e8m0(code: number): number {
  return code === 0xff ? Number.NaN : 2 ** (code - 127);
}
