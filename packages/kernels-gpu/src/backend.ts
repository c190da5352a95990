import { _gpujs, _isInstance } from "./_gpujs";

/** A gpu.js backend that runs quantkit's kernels. */
export type GpuBackend = "headlessgl" | "webgl2" | "webgl" | "webgpu" | "webasm" | "cpu";

/** What `createGpuKernels` accepts: a backend, or 'gpu' for the best synchronous one available. */
export type GpuBackendRequest = GpuBackend | "gpu";

/** Every backend name, best first (the order 'gpu' tries, webgpu aside: it is asynchronous). */
export const GPU_BACKENDS: readonly GpuBackend[] = [
  "headlessgl",
  "webgl2",
  "webgl",
  "webgpu",
  "webasm",
  "cpu",
];

/**
 * Whether gpu.js can run `backend` here, as gpu.js reports it synchronously: headlessgl needs the
 * `gl` package built and an X display (`xvfb-run` on a server), webgl2/webgl a browser context,
 * webasm WebAssembly; cpu is always there. For webgpu this only says that `navigator.gpu` exists:
 * whether an adapter answers is known after `await _gpujs.GPU.isWebGPUAvailable()` (gpu.js).
 *
 * @example
 * isGpuBackendSupported("cpu")        // true
 * isGpuBackendSupported("headlessgl") // true in Node under xvfb-run with gl built, else false
 */
export function isGpuBackendSupported(backend: GpuBackend): boolean {
  switch (backend) {
    case "headlessgl":
      return _gpujs.GPU.isHeadlessGLSupported;
    case "webgl2":
      return _gpujs.GPU.isWebGL2Supported;
    case "webgl":
      return _gpujs.GPU.isWebGLSupported;
    case "webgpu":
      return _gpujs.GPU.isWebGPUSupported;
    case "webasm":
      return _gpujs.GPU.isWebAssemblySupported;
    case "cpu":
      return true;
    default:
      throw new TypeError(
        `backend must be one of ${GPU_BACKENDS.join(", ")}; got ${JSON.stringify(backend)}`,
      );
  }
}

/**
 * The backends gpu.js can run here, best first (see {@link isGpuBackendSupported}).
 *
 * @example
 * availableGpuBackends() // e.g. ["headlessgl", "webasm", "cpu"] in Node under xvfb-run
 */
export function availableGpuBackends(): GpuBackend[] {
  return GPU_BACKENDS.filter((b) => isGpuBackendSupported(b));
}

/** The backend a gpu.js kernel instance belongs to (subclasses first: headlessgl extends webgl). */
export function _backendOfKernel(kernel: unknown): GpuBackend | null {
  if (_isInstance(kernel, _gpujs.HeadlessGLKernel)) return "headlessgl";
  if (_isInstance(kernel, _gpujs.WebGL2Kernel)) return "webgl2";
  if (_isInstance(kernel, _gpujs.WebGLKernel)) return "webgl";
  if (_isInstance(kernel, _gpujs.WebGPUKernel)) return "webgpu";
  if (_isInstance(kernel, _gpujs.WebAssemblyKernel)) return "webasm";
  if (_isInstance(kernel, _gpujs.CPUKernel)) return "cpu";
  return null;
}

/** The backend of the kernel class a GPU instance chose. */
export function _backendOfKernelClass(kernelClass: unknown): GpuBackend | null {
  if (kernelClass === _gpujs.HeadlessGLKernel) return "headlessgl";
  if (kernelClass === _gpujs.WebGL2Kernel) return "webgl2";
  if (kernelClass === _gpujs.WebGLKernel) return "webgl";
  if (kernelClass === _gpujs.WebGPUKernel) return "webgpu";
  if (kernelClass === _gpujs.WebAssemblyKernel) return "webasm";
  if (kernelClass === _gpujs.CPUKernel) return "cpu";
  return null;
}
