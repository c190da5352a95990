import { Conv2d, Module, type Parameter, ReLU } from "@quantkit/nn";
import type { Shape, Tensor } from "@quantkit/tensor";

/**
 * A Conv2d followed by a ReLU as one module (PyTorch's `torch.ao.nn.intrinsic.ConvReLU2d`), what
 * `fuseModules` makes of `Conv2d, ReLU` and of `Conv2d, BatchNorm2d, ReLU` (the BatchNorm folded into
 * the convolution first). Its parameters are the convolution's, with the same local names.
 *
 * @example
 * const fused = new ConvReLU2d(new Conv2d(1, 2, 3, { padding: 1, seed: 0 }));
 * fused.forward(new Float32Array(16), [1, 1, 4, 4]).shape // [1, 2, 4, 4]
 */
export class ConvReLU2d extends Module {
  private readonly relu = new ReLU();

  constructor(readonly conv: Conv2d) {
    super();
    if (!(conv instanceof Conv2d)) throw new TypeError("ConvReLU2d: conv must be a Conv2d");
  }

  override ownParameters(): Parameter[] {
    return this.conv.ownParameters();
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    const y = this.conv.forward(x, shape);
    return this.relu.forward(y.data, y.shape);
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    return this.conv.backward(this.relu.backward(gradOut), needInputGrad);
  }

  override extraRepr(): string {
    return this.conv.extraRepr();
  }
}
