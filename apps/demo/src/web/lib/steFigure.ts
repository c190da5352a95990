/**
 * Section 9's straight-through-estimator figure: a 3-bit symmetric fake quantizer (7 levels,
 * quantMin −3 .. quantMax 3, scale 1/3, so its levels are −1, −2/3, …, 1) sampled over [−1.6, 1.6] with
 * quantkit's `fakeQuantizeWithMask`, and the facts its caption states, measured on the samples drawn.
 */
import { calculateQParams, fakeQuantizeWithMask } from "@quantkit/quantizers";

export interface SteFigure {
  xs: Float32Array;
  output: Float32Array;
  mask: Uint8Array;
  scale: number;
  zeroPoint: number;
  levels: number;
  /** The smallest and largest output drawn. */
  outputMin: number;
  outputMax: number;
  /** The first and last x drawn whose mask is 1. */
  maskFrom: number;
  maskTo: number;
}

/**
 * Samples the quantizer and measures what is drawn.
 *
 * @example
 * const f = steFigure();
 * [f.outputMin, f.outputMax] // [-1, 1]
 */
export function steFigure(samples = 401): SteFigure {
  const quantMin = -3;
  const quantMax = 3;
  const qparams = calculateQParams(-1, 1, {
    dtype: "qint8",
    qscheme: "per_tensor_symmetric",
    quantMin,
    quantMax,
  });
  const xs = new Float32Array(samples);
  for (let i = 0; i < samples; i++) xs[i] = -1.6 + (3.2 * i) / (samples - 1);
  const { output, mask } = fakeQuantizeWithMask(xs, [samples], qparams);
  let outputMin = Number.POSITIVE_INFINITY;
  let outputMax = Number.NEGATIVE_INFINITY;
  let maskFrom = Number.NaN;
  let maskTo = Number.NaN;
  for (let i = 0; i < samples; i++) {
    outputMin = Math.min(outputMin, output[i]!);
    outputMax = Math.max(outputMax, output[i]!);
    if (mask[i]) {
      if (Number.isNaN(maskFrom)) maskFrom = xs[i]!;
      maskTo = xs[i]!;
    }
  }
  return {
    xs,
    output,
    mask: Uint8Array.from(mask),
    scale: qparams.scale[0]!,
    zeroPoint: qparams.zeroPoint[0]!,
    levels: quantMax - quantMin + 1,
    outputMin,
    outputMax,
    maskFrom,
    maskTo,
  };
}
