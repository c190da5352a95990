/** What happened to one node. */
export interface NodeReport {
  /** The node's name (or "<opType> #<index>" when it has none). */
  name: string;
  opType: string;
  /** The graph it is in: "main", or the path of a subgraph ("main/If_0.else_branch"). */
  graph: string;
  quantized: boolean;
  /** How it runs now ("MatMulInteger", "ConvInteger", "QDQ"...), or why it stayed float. */
  detail: string;
  /** The tensor its SQNR is measured on (its output, or the fused Relu's), for quantized nodes. */
  tensor?: string;
  /** SQNR (dB) of its output in the quantized model against the float model, over the evaluation samples. */
  sqnrDb?: number;
}

/**
 * What a quantization did, for people and for `--json`: sizes, opsets, every node (Constant nodes
 * aside) with how it runs or why it stayed float, and, after {@link evaluateQuantization}, the SQNR of
 * quantized nodes' outputs and of the model's outputs against the float model.
 */
export interface QuantizationReport {
  /** q8 and int8 (quantizeDynamic, quantizeStatic); q4 / q4f16 (quantizeMatMulNBits at 4 bits), "weight-only" at 2 or 8 bits. */
  mode: "q8" | "int8" | "q4" | "q4f16" | "weight-only";
  sizeBytesBefore: number;
  sizeBytesAfter: number;
  opsetBefore: number;
  opsetAfter: number;
  nodes: NodeReport[];
  /** SQNR (dB) of each graph output against the float model's, when evaluated. */
  outputSqnrDb?: Record<string, number>;
  /** Samples the SQNR figures come from. */
  evaluatedSamples?: number;
}
