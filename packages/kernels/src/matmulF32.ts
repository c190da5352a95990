import { assertOptions } from "@quantkit/tensor";
import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { checkMatmulF32Args } from "./checkKernelArgs";
import type { MatmulF32Options } from "./types";

/**
 * fp32 GEMM, the baseline the integer kernels are measured against: Y[m, n] = A[m, k] B[k, n] + bias
 * (B is [n, k] with `transB`). Every product and sum is a float32 operation, accumulated in k order
 * from +0 with the bias added last, so the WebAssembly (f32x4) and plain-JS paths give the same bits.
 * Cache-blocked and packed like the integer GEMM, for an honest comparison.
 *
 * Errors: lengths that do not match m, k, n or a bad dimension (RangeError); wrong array types (TypeError).
 *
 * @example
 * const a = new Float32Array([1, 2, 3, 4]); // [2, 2]
 * const b = new Float32Array([1, 0, 0.5, 1]); // [2, 2]
 * matmulF32(a, b, { m: 2, k: 2, n: 2, bias: new Float32Array([0, 10]) }) // Float32Array [2, 12, 5, 14]
 */
export function matmulF32(a: Float32Array, b: Float32Array, options: MatmulF32Options): Float32Array {
  assertOptions(options, ["m", "k", "n", "transB", "bias", "out"], "matmulF32 options");
  return _matmulF32(_defaultEngine(), a, b, options);
}

/** {@link matmulF32} on a given engine. */
export function _matmulF32(
  engine: _Engine,
  a: Float32Array,
  b: Float32Array,
  options: MatmulF32Options,
): Float32Array {
  const { m, k, n, transB, bias, out } = checkMatmulF32Args(a, b, options);
  if (m === 0 || n === 0) return out;
  if (k === 0) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = bias ? 0 + bias[j]! : 0;
    return out;
  }
  engine.matmulF32(a, b, m, k, n, transB, bias, out);
  return out;
}
