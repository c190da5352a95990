export {
  availableGpuBackends,
  GPU_BACKENDS,
  type GpuBackend,
  type GpuBackendRequest,
  isGpuBackendSupported,
} from "./backend";
export {
  createGpuKernels,
  type GpuKernels,
  type GpuKernelsOptions,
  type GpuLinearLayer,
  type RequantizeParams,
} from "./createGpuKernels";
