import type { Shape, Tensor } from "@quantkit/tensor";
import { Module } from "./module";

/**
 * Passes its input through unchanged (PyTorch's `nn.Identity`): what a folded BatchNorm or a removed
 * observer is replaced by, keeping the model's names.
 *
 * @example
 * model.setSubmodule("bn1", new Identity()); // after foldBatchNorm into conv1
 */
export class Identity extends Module {
  forward(x: Float32Array, shape: Shape): Tensor {
    return { data: x, shape };
  }

  backward(gradOut: Float32Array): Float32Array {
    return gradOut;
  }
}
