import { Module } from "@quantkit/nn";
import type { Shape, Tensor } from "@quantkit/tensor";
import type { ActivationPostProcess } from "./convertible";

/**
 * Where float input becomes quantized (PyTorch's `QuantStub`): in a prepared model it runs its
 * `activationPostProcess` (an observer in PTQ, a FakeQuantize in QAT) on the input; `convert` turns it
 * into the integer model's one input quantization. It remembers the shape of one sample of the last
 * input (`inputShape`, the batch axis dropped), which the integer model needs.
 *
 * @example
 * const stub = new QuantStub(new ObserverModule(new MinMaxObserver()));
 * stub.forward(new Float32Array(2 * 784), [2, 784]);
 * stub.inputShape // [784]
 */
export class QuantStub extends Module {
  /** One sample's shape of the last input, or null before any forward. */
  inputShape: readonly number[] | null = null;

  constructor(readonly activationPostProcess: ActivationPostProcess) {
    super();
  }

  override children(): ReadonlyArray<readonly [string, Module]> {
    return [["activation_post_process", this.activationPostProcess]];
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    if (shape.length < 2) {
      throw new RangeError(
        `QuantStub.forward: input must be batched, [batch, ...features], got shape [${shape.join(", ")}]`,
      );
    }
    this.inputShape = shape.slice(1);
    return this.activationPostProcess.call(x, shape);
  }

  backward(gradOut: Float32Array): Float32Array {
    return this.activationPostProcess.backward(gradOut);
  }
}
