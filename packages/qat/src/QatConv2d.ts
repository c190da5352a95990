import { type Conv2d, conv2dBackward, conv2dForward } from "@quantkit/nn";
import type { QConfig } from "@quantkit/ptq";
import type { Shape, Tensor } from "@quantkit/tensor";
import { _QatLayer, type _SavedInput } from "./_QatLayer";

/**
 * A Conv2d (BatchNorm folded in by `prepareQat`, + fused ReLU) trained with fake quantization
 * (PyTorch's `torch.ao.nn.qat.Conv2d` / `ConvReLU2d`; a BatchNorm is folded with its running
 * statistics before training, as PyTorch's `ConvBn2d` does once `freeze_bn_stats` is applied): the
 * fake-quantized weight, the float bias, the ReLU, the fake-quantized output, and the
 * straight-through estimator at both fake quantizers in the backward pass.
 *
 * @example
 * const qat = prepareQat(new Sequential([["conv", new Conv2d(1, 4, 3)], ["relu", new ReLU()]]));
 * qat.get("conv") // QatConv2d, relu true
 */
export class QatConv2d extends _QatLayer<Conv2d> {
  readonly quantizedKind = "conv2d" as const;

  constructor(float: Conv2d, relu: boolean, qconfig: QConfig) {
    super(float, relu, qconfig, "QatConv2d");
  }

  protected floatForward(x: Float32Array, shape: Shape, weight: Float32Array): Tensor {
    return conv2dForward(x, shape, weight, this.float.bias?.data ?? null, this.float.geometry);
  }

  protected floatBackward(
    gradOut: Float32Array,
    s: _SavedInput,
    gradWeight: Float32Array,
    needInputGrad: boolean,
  ): Float32Array | undefined {
    const bias = this.float.bias?.grad ?? null;
    return conv2dBackward(
      gradOut,
      s.x,
      s.shape,
      s.weight,
      gradWeight,
      bias,
      this.float.geometry,
      needInputGrad,
    );
  }
}
