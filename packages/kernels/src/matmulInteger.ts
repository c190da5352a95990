import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import {
  _assertDim,
  _assertInstance,
  _assertInt8Like,
  _assertLength,
  _assertZeroPoint,
  _rangeOf,
} from "./_validate";
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
  return _matmulInteger(_defaultEngine(), a, b, options);
}

/** {@link matmulInteger} on a given engine. */
export function _matmulInteger(
  engine: _Engine,
  a: Int8Like,
  b: Int8Like,
  options: MatmulIntegerOptions,
): Int32Array {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("options must be an object { m, k, n, aZeroPoint?, bZeroPoint?, transB?, out? }");
  }
  const { m, k, n } = options;
  _assertDim(m, "m");
  _assertDim(k, "k");
  _assertDim(n, "n");
  _assertInt8Like(a, "a");
  _assertInt8Like(b, "b");
  const transB = options.transB ?? false;
  if (typeof transB !== "boolean") throw new TypeError(`transB must be a boolean, got ${typeof transB}`);
  _assertLength(a, m * k, "a", `m * k (${m} * ${k})`);
  _assertLength(b, k * n, "b", transB ? `n * k (${n} * ${k})` : `k * n (${k} * ${n})`);
  const aZeroPoint = options.aZeroPoint ?? 0;
  _assertZeroPoint(aZeroPoint, a, "aZeroPoint");
  const bZeroPoints = normalizeBZeroPoint(options.bZeroPoint ?? 0, b, n);
  const out = options.out ?? new Int32Array(m * n);
  _assertInstance(out, Int32Array, "Int32Array", "out");
  _assertLength(out, m * n, "out", `m * n (${m} * ${n})`);
  if (m === 0 || n === 0) return out;
  if (k === 0) return out.fill(0);
  engine.matmulInteger(a, b, m, k, n, aZeroPoint, bZeroPoints, transB, out);
  return out;
}

/** One zero point per column (null when all are 0), each checked against B's dtype. */
function normalizeBZeroPoint(zp: number | Int32Array, b: Int8Like, n: number): Int32Array | null {
  if (typeof zp === "number") {
    _assertZeroPoint(zp, b, "bZeroPoint");
    return zp === 0 ? null : new Int32Array(n).fill(zp);
  }
  _assertInstance(zp, Int32Array, "number or an Int32Array", "bZeroPoint");
  _assertLength(zp, n, "bZeroPoint", "n (one per column)");
  const [lo, hi] = _rangeOf(b);
  for (let j = 0; j < n; j++) {
    const z = zp[j]!;
    if (z < lo || z > hi) {
      throw new RangeError(
        `bZeroPoint[${j}] must be an integer in [${lo}, ${hi}] (${lo < 0 ? "int8" : "uint8"}), got ${z}`,
      );
    }
  }
  return zp;
}
