/** Which method a case calls (the `*Async` twin on WebGPU). */
export type CaseOp =
  | "matmulInteger"
  | "matmulF32"
  | "requantize"
  | "quantizedLinear"
  | "quantizedLinearSequence"
  | "quantizedConv2d";

/** One conformance case. */
export interface ConformanceCase {
  name: string;
  op: CaseOp;
  args: unknown[];
  /** The expected values. */
  expected: ArrayLike<number>;
  /** For float results: the largest allowed |actual - expected| per element; absent means bit-exact. */
  tolerance?: ArrayLike<number>;
  /** The expected result's constructor name (Int32Array, Uint8Array, Int8Array, Float32Array). */
  type: string;
}
