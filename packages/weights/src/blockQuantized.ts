/** Bit widths of the block-wise formats: those MatMulNBits packs into whole bytes. */
export type WeightBits = 2 | 4 | 8;

/**
 * Bit widths the methods quantize to: the packable {@link WeightBits}, and 3 for weights used in float
 * (`applyToLinear`, `dequantized`). 3-bit codes do not fill bytes evenly and have no MatMulNBits or
 * DequantizeLinear layout here: the packers refuse them.
 */
export type BlockBits = WeightBits | 3;

/** How scales are stored: float32, or float16 (q4f16). A float16 scale is used as stored when coding. */
export type ScaleType = "float32" | "float16";

/**
 * How a weight matrix is laid out in its Float32Array (row-major):
 * - `"NK"` (default): [N, K], one row per output channel, as PyTorch's and `@quantkit/nn`'s Linear weight
 *   ([outFeatures, inFeatures]);
 * - `"KN"`: [K, N], as ONNX MatMul's B (y = x B).
 * K is the input dimension (blocks run along it), N the number of outputs.
 */
export type WeightLayout = "NK" | "KN";

/**
 * A weight matrix quantized in blocks along K, one block of `blockSize` consecutive inputs per output
 * channel: the layout of ONNX Runtime's MatMulNBits, unpacked (one code per byte) so that any writer can
 * pack it (`packMatMulNBits`, `packBlockedDequantizeLinear`).
 *
 * - `codes`: Uint8Array [N, K] row-major, unsigned codes 0..2^bits-1 (code of output n, input k at
 *   n * K + k). No padding: the last block of a row is short when K is not a multiple of blockSize.
 * - `scales`: Float32Array [N, nBlocks] (block b of output n at n * nBlocks + b), nBlocks =
 *   ceil(K / blockSize). With `scaleType` float16 the values are already float16 values.
 * - `zeroPoints`: [N, nBlocks] unpacked: unsigned integer codes (Uint8Array) for RTN, GPTQ and AWQ; 2^(bits-1)
 *   for every block when `symmetric` (MatMulNBits' default when the input is absent); float (Float32Array)
 *   for HQQ.
 * - `dequantized`: (code - zeroPoint) * scale in float32, in the layout of the input (`layout`).
 *
 * dequantized[n, k] = (codes[n * K + k] - zeroPoints[n * nBlocks + b]) * scales[n * nBlocks + b], b = floor(k / blockSize).
 */
export interface BlockQuantized<Z extends Uint8Array | Float32Array = Uint8Array> {
  readonly bits: BlockBits;
  readonly blockSize: number;
  readonly symmetric: boolean;
  readonly scaleType: ScaleType;
  /** Number of outputs (MatMulNBits' N). */
  readonly N: number;
  /** Input dimension (MatMulNBits' K). */
  readonly K: number;
  /** ceil(K / blockSize). */
  readonly nBlocks: number;
  readonly codes: Uint8Array;
  readonly scales: Float32Array;
  readonly zeroPoints: Z;
  /** The layout of the input weight, and of `dequantized`. */
  readonly layout: WeightLayout;
  readonly dequantized: Float32Array;
}
