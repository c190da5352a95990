import type { Shape, Tensor } from "@quantkit/tensor";
import { _checkGrad, _checkInput, _noForward, Module } from "./module";

/**
 * max(0, x) elementwise (PyTorch's `nn.ReLU`); the gradient is 1 where the output is positive and 0
 * elsewhere (0 at x = 0, as in PyTorch).
 *
 * @example
 * new ReLU().forward(new Float32Array([-1, 0, 2]), [3]).data // Float32Array [0, 0, 2]
 */
export class ReLU extends Module {
  private lastOut: Float32Array | undefined;

  forward(x: Float32Array, shape: Shape): Tensor {
    _checkInput(this, x, shape);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      // NaN propagates, as torch.relu does.
      out[i] = v > 0 || Number.isNaN(v) ? v : 0;
    }
    this.lastOut = out;
    return { data: out, shape };
  }

  backward(gradOut: Float32Array): Float32Array {
    const y = this.lastOut;
    if (y === undefined) throw _noForward(this);
    _checkGrad(this, gradOut, y.length);
    const g = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) g[i] = y[i]! > 0 ? gradOut[i]! : 0;
    return g;
  }
}
