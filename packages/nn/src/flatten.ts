import { normalizeAxis, type Shape, type Tensor } from "@quantkit/tensor";
import { _checkInput, Module } from "./module";

/**
 * Merges the axes `startDim..endDim` into one (PyTorch's `nn.Flatten`, default 1..-1:
 * `[N, C, H, W]` to `[N, C*H*W]`). Row-major data does not move: the output and the gradient are the
 * input arrays themselves, with a new shape.
 *
 * @example
 * new Flatten().forward(new Float32Array(2 * 3 * 4), [2, 3, 4]).shape // [2, 12]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    _checkInput(this, x, shape);
    if (shape.length === 0) return { data: x, shape: [1] };
    const s = normalizeAxis(this.startDim, shape.length, "startDim");
    const e = normalizeAxis(this.endDim, shape.length, "endDim");
    if (s > e)
      throw new RangeError(
        `Flatten: startDim ${this.startDim} comes after endDim ${this.endDim} for shape [${shape.join(", ")}]`,
      );
    let merged = 1;
    for (let i = s; i <= e; i++) merged *= shape[i]!;
    return { data: x, shape: [...shape.slice(0, s), merged, ...shape.slice(e + 1)] };
  }

  backward(gradOut: Float32Array): Float32Array {
    return gradOut;
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
