// Type tests, checked by `tsc -p packages/numeric`: what src/types.ts promises about the float formats.
import { expectTypeOf } from "vitest";
import {
  type BitsArray,
  bfloat16,
  type FloatExplanation,
  type FloatFields,
  type FloatFormat,
  type FloatKind,
  type FloatOutcome,
  type FloatSpecials,
  float8e4m3fn,
  float8e5m2fnuz,
  float16,
  float32,
} from "../src/index";

// Each named format's bit array is the narrowest typed array that holds its patterns.
expectTypeOf(float32).toEqualTypeOf<FloatFormat<Uint32Array>>();
expectTypeOf(float16).toEqualTypeOf<FloatFormat<Uint16Array>>();
expectTypeOf(bfloat16).toEqualTypeOf<FloatFormat<Uint16Array>>();
expectTypeOf(float8e4m3fn).toEqualTypeOf<FloatFormat<Uint8Array>>();
expectTypeOf(float8e5m2fnuz).toEqualTypeOf<FloatFormat<Uint8Array>>();
expectTypeOf<BitsArray>().toEqualTypeOf<Uint8Array | Uint16Array | Uint32Array>();

// encodeArray returns the format's array (or the out array given), decodeArray a Float32Array.
expectTypeOf(float16.encodeArray).returns.toEqualTypeOf<Uint16Array>();
expectTypeOf(float16.encodeArray).parameter(1).toEqualTypeOf<Uint16Array | undefined>();
expectTypeOf(float8e4m3fn.decodeArray).parameter(0).toEqualTypeOf<Uint8Array>();
expectTypeOf(float8e4m3fn.decodeArray).returns.toEqualTypeOf<Float32Array>();
expectTypeOf(float32.encodeArray).parameter(0).toEqualTypeOf<Float32Array | Float64Array>();
// @ts-expect-error a float16 encoder does not write into a Uint8Array
float16.encodeArray(new Float32Array(1), new Uint8Array(1));

// Scalars: bits and values are numbers; fields and explain name the parts of a float.
expectTypeOf(float16.encode).returns.toBeNumber();
expectTypeOf(float16.decode).returns.toBeNumber();
expectTypeOf(float16.fields).returns.toEqualTypeOf<FloatFields>();
expectTypeOf(float16.explain).returns.toEqualTypeOf<FloatExplanation>();
expectTypeOf<FloatExplanation>().toExtend<FloatFields>();
expectTypeOf<FloatFields["sign"]>().toEqualTypeOf<0 | 1>();
expectTypeOf<FloatFields["kind"]>().toEqualTypeOf<FloatKind>();
expectTypeOf<FloatKind>().toEqualTypeOf<"zero" | "subnormal" | "normal" | "infinity" | "nan">();
expectTypeOf<FloatExplanation["outcome"]>().toEqualTypeOf<FloatOutcome>();
expectTypeOf<FloatOutcome>().toEqualTypeOf<"exact" | "rounded" | "underflow" | "overflow" | "nan">();
expectTypeOf<FloatFormat["specials"]>().toEqualTypeOf<FloatSpecials>();
expectTypeOf<FloatFormat["infinityBits"]>().toEqualTypeOf<number | null>();

// Everything is read-only: a format's limits cannot be overwritten (a function never called: types only).
const _overwrite = (f: FloatFormat) => {
  // @ts-expect-error readonly
  f.maxNormal = 1;
};
