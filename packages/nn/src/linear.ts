import type { Shape, Tensor } from "@quantkit/tensor";
import { assertOptions } from "@quantkit/tensor";
import { _rngOf, type InitOptions, resetLinearLike } from "./init";
import { linearBackward, linearForward } from "./linearOps";
import { _checkGrad, _checkInput, _noForward, Module } from "./module";
import { createParameter, type Parameter } from "./parameter";

/** Options of {@link Linear}. */
export interface LinearOptions extends InitOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

/**
 * y = x W^T + b (PyTorch's `nn.Linear`): `weight` `[outFeatures, inFeatures]`, `bias`
 * `[outFeatures]`, input `[..., inFeatures]`. Initialised as PyTorch does, from a seeded `Rng`:
 * weight and bias uniform in ±1/sqrt(inFeatures).
 *
 * @example
 * const fc = new Linear(784, 100, { seed: 0 });
 * fc.weight.shape // [100, 784]
 * const y = fc.forward(new Float32Array(2 * 784), [2, 784]); // y.shape [2, 100]
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  private lastX: Float32Array | undefined;
  private lastShape: Shape = [];
  private lastOutLength = 0;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    assertOptions(options, ["bias", "rng", "seed"], "Linear options");
    for (const [argName, v] of [
      ["inFeatures", inFeatures],
      ["outFeatures", outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0)
        throw new RangeError(`${argName} must be a positive integer, got ${v}`);
    }
    this.weight = createParameter("weight", [outFeatures, inFeatures]);
    this.bias = options.bias === false ? null : createParameter("bias", [outFeatures]);
    this.resetParameters(options);
  }

  /** Re-draws weight and bias with PyTorch's default initialisation. */
  resetParameters(options: InitOptions = {}): void {
    resetLinearLike(this.weight.data, this.bias?.data ?? null, this.inFeatures, _rngOf(options));
  }

  override ownParameters(): Parameter[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    _checkInput(this, x, shape);
    if (shape[shape.length - 1] !== this.inFeatures) {
      throw new RangeError(
        `Linear.forward: input shape [${shape.join(", ")}] must end in inFeatures = ${this.inFeatures}`,
      );
    }
    this.lastX = x;
    this.lastShape = shape;
    const y = linearForward(x, shape, this.weight.data, this.bias?.data ?? null);
    this.lastOutLength = y.data.length;
    return y;
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    if (this.lastX === undefined) throw _noForward(this);
    _checkGrad(this, gradOut, this.lastOutLength);
    const gx = linearBackward(
      gradOut,
      this.lastX,
      this.lastShape,
      this.weight.data,
      this.weight.grad,
      this.bias?.grad ?? null,
      needInputGrad,
    );
    return gx ?? new Float32Array(0);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? "True" : "False"}`;
  }
}
