import {
  bfloat16,
  type FloatFormat,
  float8e4m3fn,
  float8e4m3fnuz,
  float8e5m2,
  float8e5m2fnuz,
  float16,
  float32,
} from "../src/index";
import {
  REF_BFLOAT16,
  REF_E4M3FN,
  REF_E4M3FNUZ,
  REF_E5M2,
  REF_E5M2FNUZ,
  REF_FLOAT16,
  REF_FLOAT32,
  type RefSpec,
} from "./_reference";

/** Each named format with its independent reference spec. */
export const SMALL_FORMATS: Array<[FloatFormat, RefSpec]> = [
  [float16, REF_FLOAT16],
  [bfloat16, REF_BFLOAT16],
  [float8e4m3fn, REF_E4M3FN],
  [float8e5m2, REF_E5M2],
  [float8e4m3fnuz, REF_E4M3FNUZ],
  [float8e5m2fnuz, REF_E5M2FNUZ],
];

export const ALL_FORMATS: Array<[FloatFormat, RefSpec]> = [[float32, REF_FLOAT32], ...SMALL_FORMATS];

/** A typed array of the format's width holding 0..2^totalBits - 1. */
export function allPatterns(format: FloatFormat): Uint8Array | Uint16Array {
  const n = 2 ** format.totalBits;
  const a = format.totalBits <= 8 ? new Uint8Array(n) : new Uint16Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** A tiny seeded generator for test data (splitmix32): tests must not depend on a sibling package. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}
