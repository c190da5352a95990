import type { CpuKernels, Kernels as KernelsContract, QuantizedConv2dLayer } from "@quantkit/kernels";

export type { QuantizedConv2dLayer };

/**
 * A kernel backend as the suites see it: @quantkit/kernels' `Kernels` contract, plus the fp32 conv
 * that the CPU kernels add (the baseline of quantizedConv2d) where a backend has it.
 */
export type Kernels = KernelsContract & { conv2dF32?: CpuKernels["conv2dF32"] };

const isKernels = (x: unknown): x is Kernels =>
  typeof x === "object" &&
  x !== null &&
  typeof (x as Kernels).backend === "string" &&
  typeof (x as Kernels).matmulInteger === "function" &&
  typeof (x as Kernels).matmulF32 === "function";

/**
 * Every kernel backend a package offers through the contract of @quantkit/kernels' types.ts: exported
 * objects that implement `Kernels`, and exported factories named `create…Kernels` (called without
 * arguments, awaited). Deduplicated by the backend they report, in export order. A factory that throws
 * (a backend this machine lacks) is reported in `unavailable`, not fatal.
 */
export async function discoverKernels(
  module: Record<string, unknown>,
): Promise<{ kernels: Kernels[]; unavailable: string[] }> {
  const found = new Map<string, Kernels>();
  const unavailable: string[] = [];
  for (const [name, value] of Object.entries(module)) {
    if (isKernels(value)) {
      if (!found.has(value.backend)) found.set(value.backend, value);
    } else if (typeof value === "function" && /^create\w*Kernels$/.test(name)) {
      try {
        const made: unknown = await (value as () => unknown)();
        if (isKernels(made) && !found.has(made.backend)) found.set(made.backend, made);
      } catch (err) {
        unavailable.push(`${name}(): ${(err as Error).message.split("\n")[0]}`);
      }
    }
  }
  return { kernels: [...found.values()], unavailable };
}

/**
 * The same kernels under another backend label (e.g. "wasm-simd x2 threads"): what ran, stated fully.
 * Methods are the original object's (they are closures, not `this`-bound).
 */
export function relabel(k: Kernels, backend: string): Kernels {
  return Object.create(k, { backend: { value: backend, enumerable: true } }) as Kernels;
}
