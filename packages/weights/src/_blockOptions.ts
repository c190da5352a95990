import type { _BlockSpec } from "./_ortBlock";
import {
  _checkBits,
  _checkBlockSize,
  _checkBoolean,
  _checkKeys,
  _checkLayout,
  _checkScaleType,
  _weightNK,
} from "./_validate";
import type { BlockBits, ScaleType, WeightLayout } from "./blockQuantized";

/** The options every block-wise method takes. */
export interface BlockOptions {
  /** 2, 3, 4 (default) or 8 (3 bits: for weights used in float; the ONNX packers take 2, 4 and 8). */
  bits?: BlockBits;
  /** Inputs per block along K: a power of two in 16..256, at most K (default 32). */
  blockSize?: number;
  /** Symmetric blocks (zero point 2^(bits-1), ONNX Runtime's sign convention) or asymmetric (default). */
  symmetric?: boolean;
  /** float32 (default) or float16 scales. */
  scaleType?: ScaleType;
  /** The weight's layout: "NK" (default, [outFeatures, inFeatures]) or "KN" (ONNX MatMul's B). */
  layout?: WeightLayout;
}

export const _BLOCK_KEYS = ["bits", "blockSize", "symmetric", "scaleType", "layout"] as const;

/** Validates the weight and the block options; returns the weight as [N, K] and the spec. */
export function _parseBlock(
  weight: unknown,
  shape: unknown,
  options: BlockOptions,
  extraKeys: readonly string[],
  fn: string,
): { N: number; K: number; w: Float32Array; spec: _BlockSpec; layout: WeightLayout; scaleType: ScaleType } {
  _checkKeys(options, [..._BLOCK_KEYS, ...extraKeys], fn);
  const bits = _checkBits(options.bits ?? 4, fn);
  const layout = _checkLayout(options.layout ?? "NK", fn);
  const scaleType = _checkScaleType(options.scaleType ?? "float32", fn);
  const symmetric = _checkBoolean(options.symmetric ?? false, "symmetric", fn);
  const { N, K, w } = _weightNK(weight, shape, layout, fn);
  const blockSize = _checkBlockSize(options.blockSize ?? 32, K, fn);
  return {
    N,
    K,
    w,
    layout,
    scaleType,
    spec: { bits, blockSize, symmetric, float16: scaleType === "float16" },
  };
}
