import { Module } from "@quantkit/nn";
import type { Shape, Tensor } from "@quantkit/tensor";

/**
 * Where the quantized output becomes float again (PyTorch's `DeQuantStub`): the identity in a prepared
 * model, the integer model's one dequantization after `convert`.
 *
 * @example
 * new DeQuantStub().forward(new Float32Array([1, 2]), [1, 2]).data // Float32Array [1, 2]
 */
export class DeQuantStub extends Module {
  forward(x: Float32Array, shape: Shape): Tensor {
    return { data: x, shape };
  }

  backward(gradOut: Float32Array): Float32Array {
    return gradOut;
  }
}
