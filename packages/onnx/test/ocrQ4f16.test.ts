// q4f16 (float16 scales, then fp16) of the PP-OCRv4 recogniser with each weight-only method:
// onnxruntime-node and -web run it, it reads the rendered lines as the float model does, and one layer
// equals a JS reference (see _ocrQ4.ts).
// Measured on this machine (x86-64, onnxruntime-node 1.30, onnxruntime-web 1.31.1); the margin is for
// other CPUs' float sums at near-ties. bench/ocrQ4.bench.ts measures all 268 evaluation lines.
import { describeRecogniserQ4 } from "./_ocrQ4";

describeRecogniserQ4("q4f16", {
  minSameLines: 13,
  measuredSameLines: { rtn: 16, gptq: 17, awq: 17, hqq: 17 },
  maxRelativeError: 1e-3,
  measuredRelativeError: "2.5e-4 to 3.2e-4: float16 outputs",
});
