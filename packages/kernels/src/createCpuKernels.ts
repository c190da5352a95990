import { assertOptions } from "@quantkit/tensor";
import { _sharedWasmEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { _jsEngine } from "./_jsEngine";
import { _ThreadPool } from "./_threadPool";
import { _createWasmEngine } from "./_wasmEngine";
import { _compileWasmAsync, _WasmRuntime, _wasmModule } from "./_wasmRuntime";
import { _conv2dF32, type Conv2dF32Options } from "./conv2dF32";
import { _matmulF32 } from "./matmulF32";
import { _matmulInteger } from "./matmulInteger";
import { _quantizedConv2d } from "./quantizedConv2d";
import { _quantizedLinear } from "./quantizedLinear";
import { _requantize } from "./requantize";
import type { Kernels } from "./types";

/** Options of {@link createCpuKernels}. */
export interface CpuKernelsOptions {
  /**
   * Use the WebAssembly SIMD inner loops (default: where the runtime supports them). With false, the
   * plain-JS loops run; both give the same bits. With true where SIMD is missing, JS runs and
   * `backend` says so.
   */
  simd?: boolean;
  /**
   * Threads for the GEMMs (default 1): the calling thread plus threads - 1 worker threads on a shared
   * WebAssembly memory. Needs SIMD, SharedArrayBuffer and node:worker_threads (Node >= 20.16); elsewhere
   * it runs on one thread and `threads` says so. Small GEMMs (< 2M multiply-adds) stay on the caller.
   */
  threads?: number;
}

/** The CPU kernels: the {@link Kernels} contract plus the fp32 conv baseline and the thread count. */
export interface CpuKernels extends Kernels {
  /** 'wasm-simd' or 'js': what actually runs. */
  readonly backend: "js" | "wasm-simd";
  /** Threads that actually run the GEMMs (1 unless worker threads were requested and available). */
  readonly threads: number;
  /** fp32 conv2d (the baseline of quantizedConv2d), see the standalone {@link conv2dF32}. */
  conv2dF32(x: Float32Array, weight: Float32Array, options: Conv2dF32Options): Float32Array;
  /** Stops the worker threads, if any (they never keep a process alive; this frees them early). */
  dispose(): Promise<void>;
}

/**
 * Creates the CPU kernels: integer GEMM, fp32 GEMM, quantized Linear and Conv2d, requantization, on
 * WebAssembly SIMD (`backend: 'wasm-simd'`) or plain JS (`'js'`), optionally over worker threads.
 * Every backend gives the same bits; @quantkit/ptq's integer model runs on any {@link Kernels}.
 *
 * @example
 * const cpu = createCpuKernels();             // WebAssembly SIMD where available
 * const js = createCpuKernels({ simd: false }); // plain JS, same results
 * cpu.backend // "wasm-simd"
 * const a = new Uint8Array([1, 2, 3, 4]);
 * const b = new Int8Array([1, 0, 0, 1]);
 * cpu.matmulInteger(a, b, { m: 2, k: 2, n: 2 }) // Int32Array [1, 2, 3, 4]
 */
export function createCpuKernels(options: CpuKernelsOptions = {}): CpuKernels {
  assertOptions(options, ["simd", "threads"], "createCpuKernels options");
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const simd = options.simd ?? true;
  if (typeof simd !== "boolean") throw new TypeError(`simd must be a boolean, got ${typeof simd}`);
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new RangeError(`threads must be an integer in [1, 256], got ${threads}`);
  }
  let engine: _Engine = _jsEngine;
  let pool: _ThreadPool | null = null;
  if (simd) {
    if (threads > 1 && _ThreadPool.supported()) {
      const module = _wasmModule(true);
      const rt = module ? _WasmRuntime.create(true) : null;
      pool = rt && module ? _ThreadPool.create(rt, module, threads) : null;
      if (rt && pool) engine = _createWasmEngine(rt, pool);
    }
    if (!pool) engine = _sharedWasmEngine() ?? _jsEngine;
  }
  const backend = engine.backend;
  return {
    backend,
    threads: pool ? pool.threads : 1,
    matmulInteger: (a, b, o) => _matmulInteger(engine, a, b, o),
    matmulF32: (a, b, o) => _matmulF32(engine, a, b, o),
    quantizedLinear: (x, layer, batch, out) => _quantizedLinear(engine, x, layer, batch, out),
    quantizedConv2d: (x, layer, input, out) => _quantizedConv2d(engine, x, layer, input, out),
    requantize: (acc, params, out) => _requantize(engine, acc, params, out),
    conv2dF32: (x, weight, o) => _conv2dF32(engine, x, weight, o),
    dispose: async () => {
      await pool?.dispose();
    },
  };
}

/**
 * Compiles the WebAssembly module asynchronously. Needed only where synchronous compilation is
 * refused (a browser's main thread may refuse it); afterwards {@link createCpuKernels} can use SIMD
 * there. Resolves to whether WebAssembly SIMD is available.
 *
 * @example
 * await initWasmKernels(); // true where WebAssembly SIMD runs
 * createCpuKernels().backend // "wasm-simd"
 */
export function initWasmKernels(): Promise<boolean> {
  return _compileWasmAsync();
}
