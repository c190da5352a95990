import type { Suite } from "./context";

/** A suite's name and where its code is: loaded only in the child process that runs it. */
export interface SuiteEntry {
  id: string;
  title: string;
  package: string;
  /** Per-suite time limit of a quick run, ms (ten times it for a full run): past it the suite is stopped and recorded as failed. */
  quickLimitMs: number;
  load: () => Promise<Suite>;
  /**
   * For suites outside this registry (tests): a module URL whose `suite` export the child runs. The
   * child of a registered suite finds it by id instead (functions do not cross processes).
   */
  moduleUrl?: string;
}

/** Every suite, in run order (cheap first, so that a Ctrl-C late in a run has lost the least). */
export const SUITES: readonly SuiteEntry[] = [
  {
    id: "numeric",
    title: "float16 / bfloat16 / float8 array encode and decode",
    package: "@quantkit/numeric",
    quickLimitMs: 60_000,
    load: async () => (await import("./suites/numeric")).numericSuite,
  },
  {
    id: "quantizers",
    title: "quantize / dequantize / fake-quantize throughput",
    package: "@quantkit/quantizers",
    quickLimitMs: 60_000,
    load: async () => (await import("./suites/quantizers")).quantizersSuite,
  },
  {
    id: "calibrators",
    title: "observers: time and the error of the range they pick",
    package: "@quantkit/calibrators",
    quickLimitMs: 120_000,
    load: async () => (await import("./suites/calibrators")).calibratorsSuite,
  },
  {
    id: "kernels",
    title: "CPU GEMM and conv, int8 against fp32, against onnxruntime-node",
    package: "@quantkit/kernels",
    quickLimitMs: 90_000,
    load: async () => (await import("./suites/kernels")).kernelsSuite,
  },
  {
    id: "kernels-gpu",
    title: "gpu.js GEMM per backend: upload, compute, readback",
    package: "@quantkit/kernels-gpu",
    quickLimitMs: 90_000,
    load: async () => (await import("./suites/kernelsGpu")).kernelsGpuSuite,
  },
  {
    id: "e2e",
    title: "the MLP end to end: PTQ and QAT accuracy per bit width, inference fp32 vs int8",
    package: "@quantkit/ptq, @quantkit/qat",
    quickLimitMs: 150_000,
    load: async () => (await import("./suites/e2e")).e2eSuite,
  },
  {
    id: "onnx",
    title: "@quantkit/onnx on real models: quantize time, peak memory, size, inference float vs quantized",
    package: "@quantkit/onnx",
    quickLimitMs: 300_000,
    load: async () => (await import("./suites/onnx")).onnxSuite,
  },
];

/** The entry of `id`, or a RangeError naming the known ids. */
export function suiteEntry(id: string): SuiteEntry {
  const entry = SUITES.find((s) => s.id === id);
  if (!entry) {
    throw new RangeError(
      `suite must be one of ${SUITES.map((s) => s.id).join(", ")}, got ${JSON.stringify(id)}`,
    );
  }
  return entry;
}
