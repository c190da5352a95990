/**
 * The slow references the GPU conformance cases are checked against: kernels' own test references
 * (plain loops, BigInt sums, the one BigInt requantization in `_requantizeReference.ts`), taken with
 * the argument shapes of the kernel contract (options objects, layers), plus the float64 GEMM that
 * only the GPU's float32 cases need. Independent of the kernels' float32 limb arithmetic, which is
 * what they check.
 */
import type {
  Int8Like,
  MatmulIntegerOptions,
  QuantizedConv2dLayer,
  RequantizeParams,
} from "@quantkit/kernels";

import {
  refMatmulInteger as refMatmulIntegerArgs,
  refQuantizedConv2d as refQuantizedConv2dGeometry,
  refRequantizeOne,
} from "../../kernels/test/_reference";

export { refQuantizedLinear, refQuantizeMultiplier } from "../../kernels/test/_reference";

/** `Kernels.matmulInteger` (ONNX MatMulInteger) with its options object. */
export function refMatmulInteger(a: Int8Like, b: Int8Like, o: MatmulIntegerOptions): Int32Array {
  return refMatmulIntegerArgs(a, b, o.m, o.k, o.n, o.aZeroPoint, o.bZeroPoint, o.transB);
}

/** `Kernels.requantize` with the BigInt reference. */
export function refRequantize(acc: Int32Array, p: RequantizeParams): number[] {
  return Array.from(acc, (v, e) => {
    const c = p.multiplier.length === 1 ? 0 : e % p.channels;
    return refRequantizeOne(v, p.multiplier[c]!, p.shift[c]!, p.outputZeroPoint, p.outputMin, p.outputMax);
  });
}

/** `Kernels.quantizedConv2d` by direct convolution (padding holds the input zero point). */
export function refQuantizedConv2d(
  x: Uint8Array,
  layer: QuantizedConv2dLayer,
  input: { batch: number; height: number; width: number },
): Uint8Array {
  return refQuantizedConv2dGeometry({ ...layer, ...input }, x, layer);
}

/** fp32 GEMM accumulated in float64 (the exact answer the float32 kernels approximate). */
export function refMatmulF64(
  a: Float32Array,
  b: Float32Array,
  o: { m: number; k: number; n: number; transB?: boolean; bias?: Float32Array },
): Float64Array {
  const out = new Float64Array(o.m * o.n);
  for (let i = 0; i < o.m; i++) {
    for (let j = 0; j < o.n; j++) {
      let s = o.bias ? o.bias[j]! : 0;
      for (let kk = 0; kk < o.k; kk++)
        s += a[i * o.k + kk]! * (o.transB ? b[j * o.k + kk]! : b[kk * o.n + j]!);
      out[i * o.n + j] = s;
    }
  }
  return out;
}
