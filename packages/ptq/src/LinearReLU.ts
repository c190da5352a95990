import { Linear, Module, type Parameter, ReLU } from "@quantkit/nn";
import type { Shape, Tensor } from "@quantkit/tensor";

/**
 * A Linear followed by a ReLU as one module (PyTorch's `torch.ao.nn.intrinsic.LinearReLU`), what
 * `fuseModules` makes of `Linear, ReLU`. Its parameters are the Linear's with the same local names
 * ("weight", "bias"), so a fused model keeps the float model's state-dict names ("fc1.weight").
 *
 * @example
 * const fused = new LinearReLU(new Linear(2, 1, { seed: 0 }));
 * fused.forward(new Float32Array([1, -1]), [1, 2]).data[0] >= 0 // true
 */
export class LinearReLU extends Module {
  private readonly relu = new ReLU();

  constructor(readonly linear: Linear) {
    super();
    if (!(linear instanceof Linear)) throw new TypeError("LinearReLU: linear must be a Linear");
  }

  override ownParameters(): Parameter[] {
    return this.linear.ownParameters();
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    const y = this.linear.forward(x, shape);
    return this.relu.forward(y.data, y.shape);
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    return this.linear.backward(this.relu.backward(gradOut), needInputGrad);
  }

  override extraRepr(): string {
    return this.linear.extraRepr();
  }
}
