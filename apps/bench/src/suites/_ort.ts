import * as ort from "onnxruntime-node";
import { matmulF32Model, matmulIntegerModel } from "../onnx/model";
import { gemmHandle } from "./_gemmHandle";

/** onnxruntime-node's MatMul / MatMulInteger on fixed inputs, ready to run (the native ceiling). */
export interface OrtGemm {
  /** One inference (async). */
  run: () => Promise<Record<string, ort.Tensor>>;
  /** The result of one inference as a typed array. */
  result: () => Promise<Int32Array | Float32Array>;
  release: () => Promise<void>;
}

/**
 * Session options: `threads` intra-op threads (1 to compare with single-threaded JS and WebAssembly
 * kernels, N with quantkit's N-thread path), CPU execution provider, all graph optimizations.
 */
export function ortOptions(threads = 1): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
  };
}

/** MatMulInteger of a uint8 [m, k] (zero point aZeroPoint) by b int8 [k, n] (zero point 0). */
export async function ortMatmulInteger(
  a: Uint8Array,
  b: Int8Array,
  m: number,
  k: number,
  n: number,
  aZeroPoint: number,
  threads = 1,
): Promise<OrtGemm> {
  const session = await ort.InferenceSession.create(matmulIntegerModel(m, k, n), ortOptions(threads));
  const feeds = {
    A: new ort.Tensor("uint8", a, [m, k]),
    B: new ort.Tensor("int8", b, [k, n]),
    a_zero_point: new ort.Tensor("uint8", Uint8Array.of(aZeroPoint), []),
    b_zero_point: new ort.Tensor("int8", Int8Array.of(0), []),
  };
  return gemmHandle(session, feeds);
}

/** MatMul of a float32 [m, k] by b float32 [k, n]. */
export async function ortMatmulF32(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  threads = 1,
): Promise<OrtGemm> {
  const session = await ort.InferenceSession.create(matmulF32Model(m, k, n), ortOptions(threads));
  const feeds = { A: new ort.Tensor("float32", a, [m, k]), B: new ort.Tensor("float32", b, [k, n]) };
  return gemmHandle(session, feeds);
}
