export { bfloat16 } from "./bfloat16";
export { type CheckIntOptions, checkInt, type OverflowMode } from "./checkInt";
export {
  FLOAT32_MAX_EXACT_INTEGER,
  FLOAT32_MAX_SAFE_INTEGER,
  FLOAT64_MAX_EXACT_INTEGER,
  isExactInFloat32,
  isSafeIntegerFloat32,
  MAX_SAFE_INTEGER,
} from "./exactness";
export { float8e4m3fn } from "./float8e4m3fn";
export { float8e5m2 } from "./float8e5m2";
export { float8e4m3fnuz, float8e5m2fnuz } from "./float8fnuz";
export { float16 } from "./float16";
export { float32 } from "./float32";
export { createFloatFormat } from "./floatFormat";
export { type IntRange, intRange, intRangeBigInt } from "./intRange";
export { saturate } from "./saturate";
export { toBits } from "./toBits";
export {
  fromTwosComplement,
  fromTwosComplement64,
  toTwosComplement,
  toTwosComplement64,
} from "./twosComplement";
export type {
  BitsArray,
  FloatExplanation,
  FloatFields,
  FloatFormat,
  FloatFormatSpec,
  FloatKind,
  FloatOutcome,
  FloatSpecials,
} from "./types";
export { wrap } from "./wrap";
