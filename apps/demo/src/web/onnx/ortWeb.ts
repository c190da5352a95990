/// <reference types="vite/client" />
/**
 * onnxruntime-web for the page's worker: the WASM backend, one thread, its .wasm file served by this
 * app (Vite copies it from node_modules into the build); nothing is fetched from a CDN.
 */

import wasmUrl from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url";
import * as ort from "onnxruntime-web/wasm";

let configured = false;

/** The onnxruntime-web namespace, set up for one WASM thread and the locally served binary. */
export function ortWeb(): typeof ort {
  if (!configured) {
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, import.meta.url).href };
    ort.env.logLevel = "error";
    configured = true;
  }
  return ort;
}
