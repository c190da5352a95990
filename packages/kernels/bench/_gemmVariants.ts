/**
 * What benchGemm times on one shape: its operands (a deterministic fill), and one variant per kernel
 * and dtype, quantkit's on each backend and, when asked, onnxruntime-node's MatMulInteger and MatMul.
 */
import * as ort from "onnxruntime-node";
import type { CpuKernels } from "../src/index";
import { onnxModel } from "../test/_onnx";
import type { GemmShape } from "./gemmBenchTypes";

/** One timed implementation: a call that runs one GEMM. */
export interface Variant {
  id: string;
  dtype: "int8" | "fp32";
  impl: "quantkit" | "onnxruntime";
  backend: string;
  threads: number;
  run: () => unknown;
}

/** The CPU kernels benchGemm times, by backend and thread count. */
export interface BenchKernels {
  backend: string;
  threads: number;
  k: CpuKernels;
}

/** A deterministic fill (xorshift), so every run multiplies the same matrices. */
function _filler(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

async function _ortSessions(shape: GemmShape) {
  const { m, k, n } = shape;
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const integer = await ort.InferenceSession.create(
    onnxModel(
      "MatMulInteger",
      [
        { name: "A", type: "uint8", dims: [m, k] },
        { name: "B", type: "int8", dims: [k, n] },
        { name: "a_zero_point", type: "uint8", dims: [] },
      ],
      [{ name: "Y", type: "int32", dims: [m, n] }],
    ),
    options,
  );
  const float = await ort.InferenceSession.create(
    onnxModel(
      "MatMul",
      [
        { name: "A", type: "float", dims: [m, k] },
        { name: "B", type: "float", dims: [k, n] },
      ],
      [{ name: "Y", type: "float", dims: [m, n] }],
    ),
    options,
  );
  return { integer, float };
}

/**
 * The operands of a shape (the same every run) and its variants: quantkit's int8 and fp32 GEMMs on
 * every kernel, then onnxruntime's (its sessions are returned to be released after timing).
 */
export async function gemmVariants(
  shape: GemmShape,
  kernels: readonly BenchKernels[],
  includeOrt: boolean,
): Promise<{
  variants: Variant[];
  a8: Uint8Array;
  b8: Int8Array;
  c32i: Int32Array;
  sessions: Awaited<ReturnType<typeof _ortSessions>> | null;
}> {
  const { m, k, n } = shape;
  const next = _filler(m * 7919 + k * 31 + n);
  const a8 = new Uint8Array(m * k).map(() => next() & 255);
  const b8 = new Int8Array(k * n).map(() => next() & 255);
  const a32 = new Float32Array(m * k).map(() => next() / 2 ** 31 - 1);
  const b32 = new Float32Array(k * n).map(() => next() / 2 ** 31 - 1);
  const c32i = new Int32Array(m * n);
  const c32f = new Float32Array(m * n);
  const variants: Variant[] = [];
  for (const { backend, threads: t, k: kk } of kernels) {
    const suffix = t > 1 ? ` x${t}` : "";
    variants.push({
      id: `int8 ${backend}${suffix}`,
      dtype: "int8",
      impl: "quantkit",
      backend,
      threads: t,
      run: () => kk.matmulInteger(a8, b8, { m, k, n, aZeroPoint: 128, out: c32i }),
    });
    variants.push({
      id: `fp32 ${backend}${suffix}`,
      dtype: "fp32",
      impl: "quantkit",
      backend,
      threads: t,
      run: () => kk.matmulF32(a32, b32, { m, k, n, out: c32f }),
    });
  }
  let sessions: Awaited<ReturnType<typeof _ortSessions>> | null = null;
  if (includeOrt) {
    sessions = await _ortSessions(shape);
    const feedsI = {
      A: new ort.Tensor("uint8", a8, [m, k]),
      B: new ort.Tensor("int8", b8, [k, n]),
      a_zero_point: new ort.Tensor("uint8", new Uint8Array([128]), []),
    };
    const feedsF = {
      A: new ort.Tensor("float32", a32, [m, k]),
      B: new ort.Tensor("float32", b32, [k, n]),
    };
    const s = sessions;
    variants.push({
      id: "int8 ort",
      dtype: "int8",
      impl: "onnxruntime",
      backend: "ort-cpu",
      threads: 1,
      run: () => s.integer.run(feedsI),
    });
    variants.push({
      id: "fp32 ort",
      dtype: "fp32",
      impl: "onnxruntime",
      backend: "ort-cpu",
      threads: 1,
      run: () => s.float.run(feedsF),
    });
  }
  return { variants, a8, b8, c32i, sessions };
}
