/** The shapes, options and report of benchGemm (gemm.bench.ts). */
import type { GemmBenchExactness } from "./gemmExactness";

/** One GEMM shape: C[m, n] = A[m, k] B[k, n]. */
export interface GemmShape {
  name: string;
  m: number;
  k: number;
  n: number;
}

/** The default shapes of the issue. */
export const GEMM_SHAPES: readonly GemmShape[] = [
  { name: "256^3", m: 256, k: 256, n: 256 },
  { name: "512^3", m: 512, k: 512, n: 512 },
  { name: "1024^3", m: 1024, k: 1024, n: 1024 },
  { name: "mnist b10", m: 10, k: 784, n: 100 },
  { name: "mnist b1000", m: 1000, k: 784, n: 100 },
];

export interface GemmBenchOptions {
  shapes?: readonly GemmShape[];
  /** Timed rounds (default 7). */
  repetitions?: number;
  /** Untimed rounds first (default 2). */
  warmupRounds?: number;
  /** Each timed batch lasts at least this long (default 150 ms). */
  minSampleMs?: number;
  /** Also time the WebAssembly kernels on this many threads (default 1: no extra variants). */
  threads?: number;
  /** Include the plain-JS kernels (default true; they take seconds per call at 1024^3). */
  includeJs?: boolean;
  /** Include onnxruntime-node (default true). */
  includeOrt?: boolean;
  /** Progress lines (default: none). */
  onProgress?: (line: string) => void;
  /** Stops between batches. */
  signal?: AbortSignal;
}

/** One variant's timing on one shape. `gops` counts 2 m n k operations (a multiply and an add). */
export interface GemmBenchResult {
  shape: string;
  m: number;
  k: number;
  n: number;
  /** "int8" (uint8 x int8 -> int32) or "fp32". */
  dtype: "int8" | "fp32";
  impl: "quantkit" | "onnxruntime";
  /** What ran: 'js', 'wasm-simd', or 'ort-cpu'. */
  backend: string;
  threads: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Throughput at the median time, and at the max / min times. GOP/s for int8, GFLOP/s for fp32. */
  gops: number;
  gopsMin: number;
  gopsMax: number;
}

/** int8 throughput over fp32 throughput of the same backend, paired round by round. */
export interface GemmBenchRatio {
  shape: string;
  backend: string;
  threads: number;
  median: number;
  min: number;
  max: number;
}

export interface GemmBenchReport {
  environment: { node: string; cpu: string; cores: number; onnxruntime: string | null };
  results: GemmBenchResult[];
  ratios: GemmBenchRatio[];
  /**
   * Every int8 variant's output against a plain-loop reference, checked before timing: ours must be
   * exact (benchGemm throws otherwise); onnxruntime's uint8 x int8 kernel is not on x86 CPUs without
   * VNNI (it saturates pairs of products to int16), and is timed all the same.
   */
  exactness: GemmBenchExactness[];
}
