import type { QParams } from "./qparams";
import { isPerChannel } from "./qscheme";

/** How many elements share one (scale, zeroPoint) pair. */
export type Granularity = "per_tensor" | "per_channel" | "per_group";

/**
 * The granularity of quantization parameters: `per_group` when `groupSize` is set, `per_channel` for a
 * `per_channel_*` qscheme, `per_tensor` otherwise.
 *
 * @example
 * granularityOf({ qscheme: "per_channel_symmetric", groupSize: 32 }) // "per_group"
 * granularityOf({ qscheme: "per_tensor_affine" })                    // "per_tensor"
 */
export function granularityOf(qparams: Pick<QParams, "qscheme" | "groupSize">): Granularity {
  if (qparams.groupSize !== undefined) return "per_group";
  return isPerChannel(qparams.qscheme) ? "per_channel" : "per_tensor";
}
