import { afterAll } from "vitest";
import { type CpuKernels, createCpuKernels } from "../src/index";

/**
 * Every CPU code path the tests hold to the same bits: plain JS, WebAssembly SIMD on one thread, and
 * WebAssembly SIMD with a worker thread (shared memory; the GEMM split by column panels).
 */
export function cpuBackends(): { name: string; kernels: CpuKernels }[] {
  const js = createCpuKernels({ simd: false });
  const wasm = createCpuKernels({ simd: true });
  const threaded = createCpuKernels({ simd: true, threads: 2 });
  afterAll(() => threaded.dispose());
  return [
    { name: "js", kernels: js },
    { name: "wasm-simd", kernels: wasm },
    { name: "wasm-simd x2 threads", kernels: threaded },
  ];
}
