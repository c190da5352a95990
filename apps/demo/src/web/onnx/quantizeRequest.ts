/** What the section's controls ask the ONNX worker's quantize job for. */
import type { WeightOnlyMethod } from "@quantkit/onnx";
import type { InputSpec } from "./exampleInput";
import type { OnnxMode, QuantizeInput } from "./jobs";

/** The section's settings as its controls hold them. */
export interface QuantizeSettings {
  mode: OnnxMode;
  perChannel: boolean;
  method: WeightOnlyMethod;
  blockSize: number;
  /** The "also quantize embedding tables (Gather)" checkbox; q4 and q4f16 only. */
  embeddings: boolean;
  specs: InputSpec[];
  calibrationSamples: number;
}

/**
 * The quantize job's input for the section's settings: the embedding tables are asked for (op types
 * MatMul and Gather) only in q4 and q4f16, whatever the checkbox held when another mode was picked.
 *
 * @example
 * const base = { perChannel: true, method: "rtn", blockSize: 32, specs: [], calibrationSamples: 8 };
 * quantizeRequest({ ...base, mode: "q4", embeddings: true }).opTypes // ["MatMul", "Gather"]
 * quantizeRequest({ ...base, mode: "q8", embeddings: true }).opTypes // ["MatMul"]
 */
export function quantizeRequest(settings: QuantizeSettings): QuantizeInput {
  const { embeddings, specs, ...rest } = settings;
  const q4 = settings.mode === "q4" || settings.mode === "q4f16";
  return { ...rest, opTypes: q4 && embeddings ? ["MatMul", "Gather"] : ["MatMul"], specs: [...specs] };
}
