import { type _GpuInstance, _gpujs, type _KernelRun } from "./_gpujs";
import { _UPLOAD_SOURCE } from "./_kernelSources";
import {
  _backendOfKernel,
  _backendOfKernelClass,
  GPU_BACKENDS,
  type GpuBackend,
  type GpuBackendRequest,
  isGpuBackendSupported,
} from "./backend";

/** A value that lives on the device: a gpu.js texture / WebGPU buffer, or (cpu, webasm) an array. */
export type _DeviceArray = unknown;

/**
 * One step of a plan (see `_runSync` / `_runAsync`): a kernel call, tagged with the stage it belongs
 * to (an upload kernel or a computing one), or the readback of a device array to host values.
 */
export type _Step =
  | { stage: "upload" | "compute"; kernel: _KernelRun; args: unknown[] }
  | { stage: "readback"; read: _DeviceArray };

/** A computation as a sequence of kernel calls: yields each call, receives its result. */
export type _Plan<T> = Generator<_Step, T, unknown>;

/** Settings of one compiled kernel. */
export interface _KernelSettings {
  output: [number] | [number, number, number];
  /** Keep the result on the device (a texture / buffer), else read it back. */
  pipeline: boolean;
  /** Longest loop in the kernel (gpu.js caps every loop at this). */
  loopMax?: number;
}

/** Kernels kept compiled per device; the oldest are destroyed past this (measured: one compile is 10-120 ms). */
const KERNEL_CACHE_SIZE = 96;

/**
 * One gpu.js GPU instance and the kernels compiled on it, keyed by their source and shape.
 * Checks after every call that the kernel ran on the backend that was asked for.
 */
export class _Device {
  readonly requested: GpuBackendRequest;
  readonly allowFallback: boolean;
  /** The backend that runs the kernels (what gpu.js chose, or degraded to under allowFallback). */
  backend: GpuBackend;
  readonly gpu: _GpuInstance;
  private readonly kernels = new Map<string, _KernelRun>();
  private destroyed = false;

  constructor(requested: GpuBackendRequest, allowFallback: boolean) {
    if (requested !== "gpu" && !GPU_BACKENDS.includes(requested)) {
      throw new TypeError(
        `backend must be one of gpu, ${GPU_BACKENDS.join(", ")}; got ${JSON.stringify(requested)}`,
      );
    }
    this.requested = requested;
    this.allowFallback = allowFallback;
    let mode: string = requested;
    if (requested === "gpu") {
      mode = bestSynchronous();
    } else if (!isGpuBackendSupported(requested)) {
      if (!allowFallback) {
        throw new Error(
          `backend ${JSON.stringify(requested)} is not available here (available: ${availableList()}); ` +
            "pass allowFallback: true to run on the best available one instead",
        );
      }
      mode = bestSynchronous();
    }
    this.gpu = new _gpujs.GPU({ mode });
    const chosen = _backendOfKernelClass(this.gpu.Kernel);
    if (chosen === null) throw new Error(`gpu.js chose an unknown kernel class for mode ${mode}`);
    if (chosen !== mode && !allowFallback) {
      throw new Error(
        `gpu.js runs ${chosen} where ${mode} was asked for; pass allowFallback: true to accept it`,
      );
    }
    this.backend = chosen;
  }

  /** Whether kernel calls return Promises (WebGPU has no synchronous readback). */
  get isAsync(): boolean {
    return this.backend === "webgpu";
  }

  /** Whether pipeline results are device memory (textures, buffers) rather than host arrays. */
  get hasDeviceMemory(): boolean {
    return this.backend !== "cpu" && this.backend !== "webasm";
  }

  /** The compiled kernel for `source` with these settings, compiling it on first use. */
  kernel(source: string, settings: _KernelSettings): _KernelRun {
    if (this.destroyed) throw new Error("these GPU kernels were destroyed");
    const key = `${settings.output.join("x")}|${settings.pipeline}|${settings.loopMax ?? 0}|${source}`;
    const cached = this.kernels.get(key);
    if (cached !== undefined) {
      // Most recently used last, so that eviction takes the oldest.
      this.kernels.delete(key);
      this.kernels.set(key, cached);
      return cached;
    }
    const kernel = this.gpu.createKernel(source, {
      output: settings.output,
      pipeline: settings.pipeline,
      immutable: settings.pipeline,
      precision: "single",
      tactic: "precision",
      loopMaxIterations: Math.max(settings.loopMax ?? 1, 1) + 1,
    });
    this.kernels.set(key, kernel);
    if (this.kernels.size > KERNEL_CACHE_SIZE) {
      const oldest = this.kernels.keys().next().value as string;
      this.kernels.get(oldest)?.destroy();
      this.kernels.delete(oldest);
    }
    return kernel;
  }

  /** Runs one step, checking the backend a kernel ran on; a Promise on WebGPU. */
  call(step: _Step): unknown {
    if (step.stage === "readback") {
      const value = step.read as { toArray?: () => unknown };
      // Textures and WebGPU buffers read back; cpu and webasm results already are host arrays.
      return value !== null && typeof value === "object" && typeof value.toArray === "function"
        ? value.toArray()
        : value;
    }
    const result = step.kernel(...step.args);
    this.checkBackend(step.kernel);
    return result;
  }

  private checkBackend(run: _KernelRun): void {
    const ran = _backendOfKernel(run.kernel);
    if (ran === this.backend) return;
    if (!this.allowFallback) {
      const reason = run.kernel?.fallbackReason;
      throw new Error(
        `gpu.js ran a kernel on ${ran ?? "an unknown backend"} instead of ${this.backend}` +
          `${reason ? ` (${reason})` : ""}; pass allowFallback: true to accept it`,
      );
    }
    if (ran !== null) this.backend = ran;
  }

  /**
   * Puts a flat array on the device: an upload kernel on the GPU backends (a float32 texture or
   * buffer), and no copy at all on cpu and webasm (gpu.js reads the typed array in place).
   */
  *upload(values: ArrayLike<number>): _Plan<_DeviceArray> {
    const wrapped = _gpujs.input(values, [values.length]);
    if (!this.hasDeviceMemory) return wrapped;
    const kernel = this.kernel(_UPLOAD_SOURCE, { output: [values.length], pipeline: true });
    return yield { stage: "upload", kernel, args: [wrapped] };
  }

  /** Runs a computing kernel whose result stays on the device (released by the caller). */
  *compute(
    source: string,
    output: [number] | [number, number, number],
    loopMax: number,
    args: unknown[],
  ): _Plan<_DeviceArray> {
    const kernel = this.kernel(source, { output, pipeline: true, loopMax });
    return yield { stage: "compute", kernel, args };
  }

  /** Reads a flat device array back, then releases it. */
  *read(value: _DeviceArray, length: number): _Plan<Float32Array> {
    try {
      const host = yield { stage: "readback", read: value };
      if (!(host instanceof Float32Array) || host.length !== length) {
        throw new Error(`gpu.js returned an unexpected result (expected a Float32Array of length ${length})`);
      }
      return host;
    } finally {
      this.release(value);
    }
  }

  /** Frees a device array made by {@link upload} or a pipeline kernel (no-op for host arrays). */
  release(value: _DeviceArray): void {
    if (
      value !== null &&
      typeof value === "object" &&
      "delete" in value &&
      typeof value.delete === "function"
    ) {
      (value as { delete(): void }).delete();
    }
  }

  /** Waits until the device has finished the work queued so far (for timing). */
  async finish(): Promise<void> {
    const ctx = this.gpu.context as { finish?: () => void } | null;
    if (this.backend === "webgpu") {
      const device = (ctx as { device?: { queue: { onSubmittedWorkDone(): Promise<void> } } } | null)?.device;
      if (device) await device.queue.onSubmittedWorkDone();
      return;
    }
    if (ctx && typeof ctx.finish === "function") ctx.finish();
  }

  /** Destroys every kernel and the GL context (or WebGPU device) of this GPU instance. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.kernels.clear();
    await this.gpu.destroy();
  }
}

function bestSynchronous(): GpuBackend {
  for (const b of GPU_BACKENDS) {
    if (b !== "webgpu" && isGpuBackendSupported(b)) return b;
  }
  return "cpu";
}

function availableList(): string {
  return GPU_BACKENDS.filter((b) => isGpuBackendSupported(b)).join(", ");
}

/** Runs a plan synchronously. */
export function _runSync<T>(device: _Device, plan: _Plan<T>): T {
  if (device.isAsync) {
    throw new Error(`${device.backend} has no synchronous readback: call the method's *Async twin`);
  }
  let r = plan.next();
  while (!r.done) {
    let result: unknown;
    try {
      result = device.call(r.value);
    } catch (e) {
      r = plan.throw(e);
      continue;
    }
    r = plan.next(result);
  }
  return r.value;
}

/** Runs a plan, awaiting each kernel call (WebGPU's calls return Promises; the others' values). */
export async function _runAsync<T>(device: _Device, plan: _Plan<T>): Promise<T> {
  let r = plan.next();
  while (!r.done) {
    let result: unknown;
    try {
      result = await device.call(r.value);
    } catch (e) {
      r = plan.throw(e);
      continue;
    }
    r = plan.next(result);
  }
  return r.value;
}
