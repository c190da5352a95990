import type { InferenceEngine } from "@quantkit/onnx";

/**
 * Loads the bytes about to be written in `engine` and releases the session: a model the runtime cannot
 * load fails here, before anything is written.
 */
export async function assertLoads(engine: InferenceEngine, bytes: Uint8Array): Promise<void> {
  let session: Awaited<ReturnType<InferenceEngine["createSession"]>>;
  try {
    session = await engine.createSession(bytes);
  } catch (error) {
    throw new Error(`onnxruntime-node cannot load the quantized model: ${(error as Error).message}`);
  }
  await session.release?.();
}
