import { assertOptions, type Shape } from "@quantkit/tensor";
import { groupMinMax } from "./groupMinMax";
import { calculateQParams, QPARAMS_OPTION_KEYS, type QParams, type QParamsOptions } from "./qparams";

/** Options of {@link calculateGroupQParams}: those of `calculateQParams` plus the group layout. */
export interface GroupQParamsOptions extends Omit<QParamsOptions, "axis" | "groupSize"> {
  /** The axis the groups run along (for a Linear weight [out, in]: 1). */
  axis: number;
  /** Consecutive elements along `axis` that share one pair; must divide shape[axis]. */
  groupSize: number;
}

/**
 * Per-group (block) quantization parameters from a tensor: each group's min/max (`groupMinMax`) through
 * PyTorch's `calculateQParams` rules. `qscheme` must be "per_channel_affine" (default) or
 * "per_channel_symmetric"; the result carries `axis` and `groupSize` and feeds `quantize`,
 * `fakeQuantize` and `dequantize` directly.
 *
 * @example
 * import { calculateGroupQParams, quantize } from "@quantkit/quantizers";
 * const w = new Float32Array([0.1, -0.2, 0.3, 0.4, 1, -2, 3, 4]); // [2, 4]
 * const qparams = calculateGroupQParams(w, [2, 4], { axis: 1, groupSize: 4, dtype: "qint4", qscheme: "per_channel_symmetric" });
 * qparams.scale.length // 2 (one per row)
 */
export function calculateGroupQParams(x: Float32Array, shape: Shape, options: GroupQParamsOptions): QParams {
  if (options === null || typeof options !== "object") {
    throw new TypeError("options with axis and groupSize are required");
  }
  assertOptions(
    options,
    [...QPARAMS_OPTION_KEYS.filter((k) => k !== "axis" && k !== "groupSize"), "axis", "groupSize"],
    "calculateGroupQParams options",
  );
  const qscheme = options.qscheme ?? "per_channel_affine";
  if (qscheme !== "per_channel_affine" && qscheme !== "per_channel_symmetric") {
    throw new TypeError(
      `per-group qparams need qscheme per_channel_affine or per_channel_symmetric, got ${qscheme}`,
    );
  }
  const { min, max } = groupMinMax(x, shape, options.axis, options.groupSize);
  return calculateQParams(min, max, { ...options, qscheme });
}
