/** The jobs of the ONNX worker (./worker.ts): what goes in, what progress says, what comes out. */
import type { NodeReport, WeightOnlyMethod, WeightOnlyOpType } from "@quantkit/onnx";
import type { JobSpec } from "../worker/protocol";
import type { InputSpec, ModelInput } from "./exampleInput";

/** The modes the page offers (those @quantkit/onnx has). */
export type OnnxMode = "q8" | "int8" | "fp16" | "q4" | "q4f16";

/** What the page shows of a loaded model. */
export interface ModelSummary {
  name: string;
  sizeBytes: number;
  opset: number;
  nodes: number;
  /** Operators and their node counts, most frequent first. */
  ops: [string, number][];
  parameters: number;
  inputs: ModelInput[];
  outputs: string[];
}

export interface QuantizeInput {
  mode: OnnxMode;
  perChannel: boolean;
  /** q4 / q4f16: how the blocks are found (gptq and awq collect the MatMul inputs on the samples). */
  method: WeightOnlyMethod;
  /** q4 / q4f16: weights per block along K. */
  blockSize: number;
  /** q4 / q4f16: the op types quantized: MatMul, and Gather for the embedding tables too. */
  opTypes: WeightOnlyOpType[];
  /** The example inputs: int8 calibrates on `calibrationSamples` seeded draws of them, every mode is evaluated on them. */
  specs: InputSpec[];
  calibrationSamples: number;
}

export interface QuantizeOutput {
  mode: OnnxMode;
  /** q4 / q4f16: the op types that were quantized (the input's); absent for the other modes. */
  opTypes?: WeightOnlyOpType[];
  /** The quantized model file. */
  bytes: Uint8Array;
  sizeBytesBefore: number;
  sizeBytesAfter: number;
  quantizeMs: number;
  /** @quantkit/onnx's report of every node: how it runs now, or why it stayed float. */
  nodes: NodeReport[];
  /** SQNR (dB) of each graph output against the float model's, over the evaluation samples. */
  outputSqnrDb: Record<string, number>;
  evaluatedSamples: number;
}

/** One model's run on the example input. */
export interface ModelRun {
  medianMs: number;
  outputs: { name: string; dims: number[]; head: number[] }[];
}

export interface RunOutput {
  float: ModelRun;
  quantized: ModelRun;
  /** Per output: SQNR (dB) and largest absolute difference of the quantized model's against the float's. */
  compare: { name: string; sqnrDb: number; maxAbsDiff: number }[];
  backend: string;
}

export type QuantizeProgress = { stage: string; done: number; total: number };

export interface OnnxJobs {
  load: JobSpec<{ bytes: Uint8Array; name: string }, never, ModelSummary>;
  quantize: JobSpec<QuantizeInput, QuantizeProgress, QuantizeOutput>;
  run: JobSpec<{ specs: InputSpec[]; seed: number; repeats: number }, never, RunOutput>;
}
