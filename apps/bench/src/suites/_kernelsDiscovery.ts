/**
 * The part of @quantkit/kernels' `Kernels` contract (packages/kernels/src/types.ts) the suites call,
 * restated here so that the bench compiles before and whatever the package exports by name.
 */
export interface Kernels {
  readonly backend: string;
  matmulInteger(
    a: Int8Array | Uint8Array,
    b: Int8Array | Uint8Array,
    options: {
      m: number;
      k: number;
      n: number;
      aZeroPoint?: number;
      bZeroPoint?: number | Int32Array;
      transB?: boolean;
      out?: Int32Array;
    },
  ): Int32Array;
  matmulF32(
    a: Float32Array,
    b: Float32Array,
    options: { m: number; k: number; n: number; transB?: boolean; bias?: Float32Array; out?: Float32Array },
  ): Float32Array;
  /** fp32 conv (CpuKernels has it: the baseline of quantizedConv2d). */
  conv2dF32?(
    x: Float32Array,
    weight: Float32Array,
    options: {
      batch: number;
      inChannels: number;
      height: number;
      width: number;
      outChannels: number;
      kernelSize: number;
      padding?: number;
      bias?: Float32Array | null;
      out?: Float32Array;
    },
  ): Float32Array;
  quantizedConv2d?(
    x: Uint8Array,
    layer: QuantizedConv2dLayer,
    input: { batch: number; height: number; width: number },
    out?: Uint8Array,
  ): Uint8Array;
}

/** @quantkit/kernels' QuantizedConv2dLayer (same fields). */
export interface QuantizedConv2dLayer {
  inChannels: number;
  outChannels: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  groups: number;
  weight: Int8Array;
  inputZeroPoint: number;
  outputZeroPoint: number;
  bias: Int32Array;
  multiplier: Int32Array;
  shift: Int32Array;
  outputMin: number;
  outputMax: number;
}

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
