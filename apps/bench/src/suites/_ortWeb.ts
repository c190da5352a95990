import { matmulF32Model, matmulIntegerModel } from "../onnx/model";
import { gemmHandle } from "./_gemmHandle";

/**
 * onnxruntime-web (its WebAssembly backend, one thread) running MatMulInteger and MatMul on fixed inputs,
 * in Node: the JS peer a web user would pick, measured like onnxruntime-node. Loaded on first use.
 */
export interface OrtWebGemm {
  run: () => Promise<unknown>;
  result: () => Promise<Int32Array | Float32Array>;
  release: () => Promise<void>;
}

type OrtWeb = typeof import("onnxruntime-web");

let loaded: Promise<OrtWeb> | undefined;

/** The onnxruntime-web module, set to one WebAssembly thread (as the single-threaded kernels it meets). */
function _ortWeb(): Promise<OrtWeb> {
  loaded ??= import("onnxruntime-web").then((ort) => {
    ort.env.wasm.numThreads = 1;
    return ort;
  });
  return loaded;
}

/** The backend name onnxruntime-web's timings carry. */
export const ORT_WEB_BACKEND = "ort-wasm";

/** MatMulInteger of a uint8 [m, k] (zero point aZeroPoint) by b int8 [k, n] (zero point 0). */
export async function ortWebMatmulInteger(
  a: Uint8Array,
  b: Int8Array,
  m: number,
  k: number,
  n: number,
  aZeroPoint: number,
): Promise<OrtWebGemm> {
  const ort = await _ortWeb();
  const session = await ort.InferenceSession.create(matmulIntegerModel(m, k, n), {
    executionProviders: ["wasm"],
  });
  const feeds = {
    A: new ort.Tensor("uint8", a, [m, k]),
    B: new ort.Tensor("int8", b, [k, n]),
    a_zero_point: new ort.Tensor("uint8", Uint8Array.of(aZeroPoint), []),
    b_zero_point: new ort.Tensor("int8", Int8Array.of(0), []),
  };
  return gemmHandle(session, feeds);
}

/** MatMul of a float32 [m, k] by b float32 [k, n]. */
export async function ortWebMatmulF32(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Promise<OrtWebGemm> {
  const ort = await _ortWeb();
  const session = await ort.InferenceSession.create(matmulF32Model(m, k, n), {
    executionProviders: ["wasm"],
  });
  const feeds = { A: new ort.Tensor("float32", a, [m, k]), B: new ort.Tensor("float32", b, [k, n]) };
  return gemmHandle(session, feeds);
}
