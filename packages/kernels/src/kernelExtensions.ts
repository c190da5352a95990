import type {
  AsyncKernels,
  AsyncLinearSequenceKernels,
  Kernels,
  LinearSequenceKernels,
  PreparedLayerKernels,
} from "./types";

const has = (k: Kernels, method: string) =>
  typeof (k as unknown as Record<string, unknown>)[method] === "function";

/**
 * Whether a backend keeps prepared layers in its own memory ({@link PreparedLayerKernels}).
 *
 * @example
 * supportsPreparedLayers(createCpuKernels()) // false
 * supportsPreparedLayers(createGpuKernels()) // true (@quantkit/kernels-gpu)
 */
export function supportsPreparedLayers(k: Kernels): k is PreparedLayerKernels {
  return has(k, "prepareLinear");
}

/**
 * Whether a backend runs a chain of Linear layers as one call ({@link LinearSequenceKernels}).
 *
 * @example
 * supportsLinearSequence(createCpuKernels()) // false
 */
export function supportsLinearSequence(k: Kernels): k is LinearSequenceKernels {
  return has(k, "quantizedLinearSequence");
}

/**
 * Whether a backend has the asynchronous twins of the contract's methods ({@link AsyncKernels}).
 *
 * @example
 * supportsAsync(createCpuKernels()) // false
 */
export function supportsAsync(k: Kernels): k is AsyncKernels {
  return ["matmulInteger", "matmulF32", "quantizedLinear", "quantizedConv2d", "requantize"].every((m) =>
    has(k, `${m}Async`),
  );
}

/**
 * Whether a backend runs a chain of Linear layers asynchronously too ({@link AsyncLinearSequenceKernels}).
 *
 * @example
 * supportsAsyncLinearSequence(createCpuKernels()) // false
 */
export function supportsAsyncLinearSequence(k: Kernels): k is AsyncLinearSequenceKernels {
  return supportsLinearSequence(k) && supportsAsync(k) && has(k, "quantizedLinearSequenceAsync");
}
