import { createCpuKernels, type Kernels } from "@quantkit/kernels";
import { createGpuKernels, type GpuBackend, isGpuBackendSupported } from "@quantkit/kernels-gpu";

/**
 * Every kernel backend the integer model may run on: the CPU kernels with and without WASM SIMD, gpu.js's
 * 'cpu' backend always, and headless-gl where an X display is there (the repo's `pnpm test` runs under
 * xvfb-run, as @quantkit/kernels-gpu's own tests do). Call `destroy()` in afterAll.
 */
export function kernelBackends(): {
  gpuBackends: ReturnType<typeof createGpuKernels>[];
  kernelSets: Array<[string, Kernels]>;
  destroy: () => Promise<void>;
} {
  const gpuNames: GpuBackend[] = [
    "cpu",
    ...(process.env.DISPLAY && isGpuBackendSupported("headlessgl") ? (["headlessgl"] as const) : []),
  ];
  const gpuBackends = gpuNames.map((b) => createGpuKernels({ backend: b }));
  const kernelSets: Array<[string, Kernels]> = [
    ["cpu wasm-simd", createCpuKernels()],
    ["cpu js", createCpuKernels({ simd: false })],
    ...gpuBackends.map((k) => [`gpu.js ${k.backend}`, k] as [string, Kernels]),
  ];
  return {
    gpuBackends,
    kernelSets,
    destroy: async () => {
      for (const k of gpuBackends) await k.destroy();
    },
  };
}
