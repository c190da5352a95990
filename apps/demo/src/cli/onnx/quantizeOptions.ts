/** The modes users know (transformers.js's dtype names). */
export type OnnxMode = "fp16" | "q8" | "int8";
/** Those `quantkit onnx quantize --mode` offers: the ones @quantkit/onnx has. */
export const MODES: readonly OnnxMode[] = ["q8"];

/** The flags of `quantkit onnx quantize`, as commander parses them. */
export interface OnnxQuantizeOptions {
  mode: OnnxMode;
  output: string;
  calibration?: string;
  /** undefined: the mode's default. */
  perChannel?: boolean;
  exclude?: string[];
  maxSamples?: number;
  json: boolean;
  progress: boolean;
}
