/**
 * gpu.js, typed for what this package uses. Its bundled typings lack some of it (`input` is
 * declared as a type only, `WebGPUKernel` and the `loopMaxIterations` setting are missing), so the
 * module is read through this narrow interface instead.
 */
import * as gpujsModule from "gpu.js";

/** A compiled gpu.js kernel: callable, with the kernel instance that actually ran. */
export interface _KernelRun {
  (...args: unknown[]): unknown;
  /** The backend kernel instance behind the shortcut (replaced when gpu.js switches or degrades). */
  kernel: ({ fallbackReason?: string | null } & object) | null;
  destroy(removeCanvasReferences?: boolean): void;
}

/** Settings of `GPU.createKernel` used here. */
export interface _CreateKernelSettings {
  output: number[];
  pipeline: boolean;
  immutable: boolean;
  precision: "single";
  tactic: "precision";
  loopMaxIterations: number;
}

/** A gpu.js GPU instance. */
export interface _GpuInstance {
  /** The kernel class gpu.js chose for this instance. */
  Kernel: unknown;
  context: unknown;
  createKernel(source: string, settings: _CreateKernelSettings): _KernelRun;
  destroy(): Promise<void>;
}

/** The gpu.js module. */
export interface _GpuJs {
  GPU: (new (settings: {
    mode: string;
  }) => _GpuInstance) & {
    isHeadlessGLSupported: boolean;
    isWebGL2Supported: boolean;
    isWebGLSupported: boolean;
    isWebGPUSupported: boolean;
    isWebAssemblySupported: boolean;
    isWebGPUAvailable(): Promise<boolean>;
  };
  input(value: ArrayLike<number>, size: number[]): unknown;
  CPUKernel: unknown;
  HeadlessGLKernel: unknown;
  WebGLKernel: unknown;
  WebGL2Kernel: unknown;
  WebGPUKernel: unknown;
  WebAssemblyKernel: unknown;
}

export const _gpujs = gpujsModule as unknown as _GpuJs;

/** `value instanceof cls` for a class typed as unknown. */
export function _isInstance(value: unknown, cls: unknown): boolean {
  return typeof cls === "function" && value instanceof cls;
}
