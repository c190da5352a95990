import { assertOptions } from "@quantkit/tensor";
import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { checkMatmulIntegerArgs } from "./checkKernelArgs";
import type { Int8Like, MatmulIntegerOptions } from "./types";

/**
 * ONNX `MatMulInteger`: Y[m, n] = sum over k of (A[m, k] - aZeroPoint) (B[k, n] - bZeroPoint[n]) in
 * int32. A is [m, k] and B is [k, n] (or [n, k] with `transB`, a Linear layer's weight), each an
 * Int8Array or a Uint8Array; bZeroPoint is one number or one per column of Y. Sums wrap modulo 2^32,
 * as int32 accumulation does (only possible when k > 33,000 with extreme codes). Exact on every CPU;
 * onnxruntime's MatMulInteger gives the same bits where its kernel is exact (x86 with VNNI; without
 * VNNI its uint8 x int8 path saturates pairs of products to int16). Runs on the default CPU kernels
 * (WebAssembly SIMD where available, else JS: same bits); `createCpuKernels()` picks explicitly.
 *
 * Errors: lengths that do not match m, k, n, a non-integer or negative dimension, a zero point outside
 * its array's dtype (RangeError); arrays of the wrong type (TypeError).
 *
 * @example
 * const a = new Uint8Array([1, 2, 3, 4, 5, 6]); // [2, 3]
 * const b = new Int8Array([1, -1, 0, 2, -3, 1]);  // [3, 2]
 * matmulInteger(a, b, { m: 2, k: 3, n: 2, aZeroPoint: 1 })
 * // Int32Array [-6, 4, -12, 10]: row 0 is [0, 1, 2] x B = [0 + 0 - 6, 0 + 2 + 2]
 */
export function matmulInteger(a: Int8Like, b: Int8Like, options: MatmulIntegerOptions): Int32Array {
  assertOptions(
    options,
    ["m", "k", "n", "aZeroPoint", "bZeroPoint", "transB", "out"],
    "matmulInteger options",
  );
  return _matmulInteger(_defaultEngine(), a, b, options);
}

/** {@link matmulInteger} on a given engine. */
export function _matmulInteger(
  engine: _Engine,
  a: Int8Like,
  b: Int8Like,
  options: MatmulIntegerOptions,
): Int32Array {
  const { m, k, n, transB, aZeroPoint, bZeroPoint, out } = checkMatmulIntegerArgs(a, b, options);
  if (m === 0 || n === 0) return out;
  if (k === 0) return out.fill(0);
  engine.matmulInteger(a, b, m, k, n, aZeroPoint, bZeroPoint, transB, out);
  return out;
}
