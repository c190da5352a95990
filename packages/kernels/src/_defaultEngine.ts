import type { _Engine } from "./_engine";
import { _jsEngine } from "./_jsEngine";
import { _createWasmEngine } from "./_wasmEngine";
import { _WasmRuntime } from "./_wasmRuntime";

let wasmEngine: _Engine | null = null;

/**
 * The single-thread WebAssembly engine over one process-wide runtime (created on first use), or null
 * where WebAssembly SIMD is unavailable (asked again each time: initWasmKernels may compile it later).
 */
export function _sharedWasmEngine(): _Engine | null {
  if (!wasmEngine) {
    const rt = _WasmRuntime.create(false);
    if (rt) wasmEngine = _createWasmEngine(rt);
  }
  return wasmEngine;
}

/** What the standalone functions run on: WebAssembly SIMD where available, else plain JS. */
export function _defaultEngine(): _Engine {
  return _sharedWasmEngine() ?? _jsEngine;
}
