/// <reference lib="webworker" />
/**
 * The ONNX worker of "Quantize your own model": its own worker (onnxruntime-web and @quantkit/onnx
 * load only when that section runs), speaking the same protocol as the compute worker.
 */
import { createDispatcher } from "../worker/dispatcher";
import type { FromWorker, ToWorker } from "../worker/protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const dispatch = createDispatcher(
  {
    load: async (input) => (await import("./handlers")).load(input),
    quantize: async (input, ctx) => (await import("./handlers")).quantize(input, ctx),
    run: async (input) => (await import("./handlers")).run(input),
  },
  (message: FromWorker) => {
    // The quantized file travels to the page without a copy.
    const data = (message as { data?: { bytes?: Uint8Array } }).data;
    const transfer =
      message.type === "result" && data?.bytes instanceof Uint8Array ? [data.bytes.buffer] : [];
    scope.postMessage(message, transfer as Transferable[]);
  },
);
scope.addEventListener("message", (event: MessageEvent<ToWorker>) => dispatch(event.data));
