import type { CpuKernels, Kernels as KernelsContract, QuantizedConv2dLayer } from "@quantkit/kernels";

export type { QuantizedConv2dLayer };

/**
 * A kernel backend as the suites see it: @quantkit/kernels' `Kernels` contract, plus the fp32 conv
 * that the CPU kernels add (the baseline of quantizedConv2d) where a backend has it.
 */
export type Kernels = KernelsContract & { conv2dF32?: CpuKernels["conv2dF32"] };

/**
 * The same kernels under another backend label (e.g. "wasm-simd x2 threads"): what ran, stated fully.
 * Methods are the original object's (they are closures, not `this`-bound).
 */
export function relabel(k: Kernels, backend: string): Kernels {
  return Object.create(k, { backend: { value: backend, enumerable: true } }) as Kernels;
}
