/**
 * Section 6's comparison: one weight matrix [outFeatures, inFeatures] quantized symmetric int-n per
 * tensor (one scale), per channel (one scale per output row, PyTorch's `per_channel_symmetric` with
 * chAxis 0) and per group (one scale per `groupSize` consecutive weights of a row), through
 * @quantkit/calibrators' observers and @quantkit/quantizers' group parameters and fake quantization.
 */
import { MinMaxObserver, PerChannelMinMaxObserver } from "@quantkit/calibrators";
import {
  calculateGroupQParams,
  fakeQuantize,
  mse,
  type QParams,
  rangeForBits,
  sqnr,
} from "@quantkit/quantizers";

export type GranularityKind = "per_tensor" | "per_channel" | "per_group";

export interface GranularityResult {
  kind: GranularityKind;
  qparams: QParams;
  /** How many (scale, zero point) pairs the weight carries. */
  scales: number;
  mse: number;
  sqnr: number;
  /** MSE of each output channel (row). */
  channelMse: Float64Array;
  /** Bytes of the n-bit weights plus one float32 scale per pair (zero points are 0: symmetric). */
  bytes: number;
}

/**
 * The divisors of `inFeatures` a per-group scheme can use, between 4 and inFeatures / 2.
 *
 * @example
 * groupSizesFor(100) // [4, 5, 10, 20, 25, 50]
 */
export function groupSizesFor(inFeatures: number): number[] {
  const out: number[] = [];
  for (let g = 4; g <= inFeatures / 2; g++) if (inFeatures % g === 0) out.push(g);
  return out;
}

/**
 * Quantizes `weight` all three ways at `bits` (2..8, the signed full range, as PyTorch's qint8
 * weights: scale = max|w| / ((2ⁿ − 1) / 2)).
 *
 * @example
 * const [tensor, channel, group] = compareGranularity(w, [100, 784], 4, 16);
 * channel.mse < tensor.mse // true for a trained layer
 */
export function compareGranularity(
  weight: Float32Array,
  shape: readonly [number, number],
  bits: number,
  groupSize: number,
): GranularityResult[] {
  const [out, inF] = shape;
  if (weight.length !== out * inF)
    throw new RangeError(`weight has ${weight.length} values, shape [${out}, ${inF}] needs ${out * inF}`);
  if (!Number.isInteger(bits) || bits < 2 || bits > 8)
    throw new RangeError(`bits must be an integer in 2..8, got ${bits}`);
  if (!Number.isInteger(groupSize) || groupSize < 1 || inF % groupSize !== 0) {
    throw new RangeError(`groupSize must divide inFeatures (${inF}), got ${groupSize}`);
  }
  const { quantMin, quantMax } = rangeForBits(bits, true);
  const tensorObs = new MinMaxObserver({
    dtype: "qint8",
    qscheme: "per_tensor_symmetric",
    quantMin,
    quantMax,
  });
  tensorObs.observe(weight, shape);
  const channelObs = new PerChannelMinMaxObserver({
    dtype: "qint8",
    qscheme: "per_channel_symmetric",
    chAxis: 0,
    quantMin,
    quantMax,
  });
  channelObs.observe(weight, shape);
  const group = calculateGroupQParams(weight, shape, {
    axis: 1,
    groupSize,
    dtype: "qint8",
    qscheme: "per_channel_symmetric",
    quantMin,
    quantMax,
  });
  const candidates: [GranularityKind, QParams][] = [
    ["per_tensor", tensorObs.calculateQParams()],
    ["per_channel", channelObs.calculateQParams()],
    ["per_group", group],
  ];
  return candidates.map(([kind, qparams]) => {
    const approx = fakeQuantize(weight, shape, qparams);
    const channelMse = new Float64Array(out);
    for (let r = 0; r < out; r++)
      channelMse[r] = mse(weight.subarray(r * inF, (r + 1) * inF), approx.subarray(r * inF, (r + 1) * inF));
    const scales = qparams.scale.length;
    return {
      kind,
      qparams,
      scales,
      mse: mse(weight, approx),
      sqnr: sqnr(weight, approx),
      channelMse,
      bytes: (weight.length * bits) / 8 + scales * 4,
    };
  });
}
