import { type Linear, linearBackward, linearForward } from "@quantkit/nn";
import type { QConfig } from "@quantkit/ptq";
import type { Shape, Tensor } from "@quantkit/tensor";
import { _QatLayer, type _SavedInput } from "./_QatLayer";

/**
 * A Linear (+ fused ReLU) trained with fake quantization (PyTorch's `torch.ao.nn.qat.Linear` and
 * `torch.ao.nn.intrinsic.qat.LinearReLU`): the forward pass uses the fake-quantized weight
 * (`weightFakeQuant`), adds the float bias, applies the ReLU and fake-quantizes the output
 * (`activationPostProcess`); the backward pass is the straight-through estimator at both fake
 * quantizers (the weight gets dL/dW_fq where its code was in range, 0 where it was clamped). The
 * parameters are the Linear's, with its names. `convert` of @quantkit/ptq reads it as any prepared
 * layer: the weight quantized with the weight fake quantizer's scale, the output with the activation's.
 *
 * @example
 * const qat = prepareQat(createMlp([784, 100, 100, 10]), defaultQatQConfig);
 * qat.get("fc1") // QatLinear, relu true
 */
export class QatLinear extends _QatLayer<Linear> {
  readonly quantizedKind = "linear" as const;

  constructor(float: Linear, relu: boolean, qconfig: QConfig) {
    super(float, relu, qconfig, "QatLinear");
  }

  protected floatForward(x: Float32Array, shape: Shape, weight: Float32Array): Tensor {
    return linearForward(x, shape, weight, this.float.bias?.data ?? null);
  }

  protected floatBackward(
    gradOut: Float32Array,
    s: _SavedInput,
    gradWeight: Float32Array,
    needInputGrad: boolean,
  ): Float32Array | undefined {
    const bias = this.float.bias?.grad ?? null;
    return linearBackward(gradOut, s.x, s.shape, s.weight, gradWeight, bias, needInputGrad);
  }
}
