import type { BatchNorm2d } from "./batchNorm2d";
import { Conv2d } from "./conv2d";

/**
 * Folds an eval-mode BatchNorm2d into the convolution before it (PyTorch's `fuse_conv_bn_eval`):
 * a new Conv2d with the same geometry whose output equals `bn(conv(x))` with the running statistics:
 * W' = W * gamma / sqrt(var + eps) per output channel, b' = (b - mean) * gamma / sqrt(var + eps) + beta.
 * Computed in float64, stored in float32. The inputs are not changed; PTQ then replaces the BN with an
 * `Identity` (as PyTorch's `fuse_modules` does).
 *
 * @example
 * const fused = foldBatchNorm(model.get("conv1") as Conv2d, model.get("bn1") as BatchNorm2d);
 * model.set("conv1", fused).set("bn1", new Identity());
 */
export function foldBatchNorm(conv: Conv2d, bn: BatchNorm2d): Conv2d {
  if (bn.numFeatures !== conv.outChannels) {
    throw new RangeError(
      `foldBatchNorm: bn has ${bn.numFeatures} features but conv has ${conv.outChannels} output channels`,
    );
  }
  if (bn.runningMean === null || bn.runningVar === null) {
    throw new RangeError(
      "foldBatchNorm: bn keeps no running statistics (trackRunningStats false); there is nothing to fold",
    );
  }
  const g = conv.geometry;
  const padding: [number, number] = [g.padTop, g.padLeft];
  if (g.padTop !== g.padBottom || g.padLeft !== g.padRight) {
    throw new RangeError("foldBatchNorm: asymmetric ('same') padding is not supported; use explicit padding");
  }
  const fused = new Conv2d(g.inChannels, g.outChannels, [g.kernelH, g.kernelW], {
    stride: [g.strideH, g.strideW],
    padding,
    dilation: [g.dilationH, g.dilationW],
    groups: g.groups,
    bias: true,
  });
  const perChannel = conv.weight.data.length / g.outChannels;
  for (let o = 0; o < g.outChannels; o++) {
    const gamma = bn.weight?.data[o] ?? 1;
    const beta = bn.bias?.data[o] ?? 0;
    const factor = gamma / Math.sqrt(bn.runningVar[o]! + bn.eps);
    for (let i = o * perChannel; i < (o + 1) * perChannel; i++)
      fused.weight.data[i] = conv.weight.data[i]! * factor;
    const b = conv.bias?.data[o] ?? 0;
    fused.bias!.data[o] = (b - bn.runningMean[o]!) * factor + beta;
  }
  fused.training = conv.training;
  return fused;
}
