import type { Shape, Tensor } from "@quantkit/tensor";
import { assertConvGroups, assertOptions, pair2d, type Size2d } from "@quantkit/tensor";
import { type Conv2dGeometry, conv2dBackward, conv2dForward } from "./conv2dOps";
import { _rngOf, type InitOptions, resetLinearLike } from "./init";
import { _checkGrad, _checkInput, _noForward, Module } from "./module";
import { createParameter, type Parameter } from "./parameter";

/** A size per spatial axis: one number for both, or [height, width]. */
export type Size2 = Size2d;

/** Options of {@link Conv2d}, PyTorch's constructor arguments in camelCase. */
export interface Conv2dOptions extends InitOptions {
  /** Default 1. */
  stride?: Size2;
  /** Zero padding on each side, or "valid" (none) or "same" (output size = input size; stride 1 only). Default 0. */
  padding?: Size2 | "valid" | "same";
  /** Default 1. */
  dilation?: Size2;
  /** Channel groups; divides inChannels and outChannels. Default 1. */
  groups?: number;
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

/**
 * 2-D convolution over NCHW input (PyTorch's `nn.Conv2d`): `weight` `[outChannels, inChannels /
 * groups, kernelH, kernelW]`, `bias` `[outChannels]`, with stride, zero padding, dilation and groups.
 * Initialised as PyTorch does from a seeded `Rng`: weight and bias uniform in ±1/sqrt(fanIn),
 * fanIn = inChannels / groups * kernelH * kernelW.
 *
 * @example
 * const conv = new Conv2d(1, 8, 3, { padding: 1, seed: 0 });
 * conv.forward(new Float32Array(2 * 28 * 28), [2, 1, 28, 28]).shape // [2, 8, 28, 28]
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  /** Everything a kernel needs to run this convolution (padding resolved per side). */
  readonly geometry: Conv2dGeometry;
  private lastX: Float32Array | undefined;
  private lastShape: Shape = [];
  private lastOutLength = 0;
  private readonly paddingRepr: string;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Size2,
    options: Conv2dOptions = {},
  ) {
    super();
    assertOptions(
      options,
      ["stride", "padding", "dilation", "groups", "bias", "rng", "seed"],
      "Conv2d options",
    );
    for (const [argName, v] of [
      ["inChannels", inChannels],
      ["outChannels", outChannels],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0)
        throw new RangeError(`${argName} must be a positive integer, got ${v}`);
    }
    const [kernelH, kernelW] = pair2d(kernelSize, "kernelSize", 1);
    const [strideH, strideW] = pair2d(options.stride ?? 1, "stride", 1);
    const [dilationH, dilationW] = pair2d(options.dilation ?? 1, "dilation", 1);
    const groups = options.groups ?? 1;
    assertConvGroups(inChannels, outChannels, groups);
    const padding = options.padding ?? 0;
    let pads: [number, number, number, number];
    if (padding === "valid") pads = [0, 0, 0, 0];
    else if (padding === "same") {
      if (strideH !== 1 || strideW !== 1)
        throw new RangeError("padding 'same' needs stride 1, as in PyTorch");
      const th = dilationH * (kernelH - 1);
      const tw = dilationW * (kernelW - 1);
      pads = [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
    } else {
      const [ph, pw] = pair2d(padding, "padding", 0);
      pads = [ph, ph, pw, pw];
    }
    this.paddingRepr = typeof padding === "string" ? `'${padding}'` : `(${pads[0]}, ${pads[2]})`;
    this.geometry = {
      inChannels,
      outChannels,
      kernelH,
      kernelW,
      strideH,
      strideW,
      padTop: pads[0],
      padBottom: pads[1],
      padLeft: pads[2],
      padRight: pads[3],
      dilationH,
      dilationW,
      groups,
    };
    this.weight = createParameter("weight", [outChannels, inChannels / groups, kernelH, kernelW]);
    this.bias = options.bias === false ? null : createParameter("bias", [outChannels]);
    this.resetParameters(options);
  }

  /** inChannels / groups * kernelH * kernelW: the inputs each output sums over. */
  get fanIn(): number {
    const g = this.geometry;
    return (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  }

  /** Re-draws weight and bias with PyTorch's default initialisation. */
  resetParameters(options: InitOptions = {}): void {
    resetLinearLike(this.weight.data, this.bias?.data ?? null, this.fanIn, _rngOf(options));
  }

  override ownParameters(): Parameter[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    _checkInput(this, x, shape);
    this.lastX = x;
    this.lastShape = shape;
    let y: Tensor;
    try {
      y = conv2dForward(x, shape, this.weight.data, this.bias?.data ?? null, this.geometry);
    } catch (e) {
      // A huge padding or input makes the output or im2col buffer larger than a typed array can be.
      if (e instanceof RangeError && /typed array length|allocation failed|Array buffer/i.test(e.message)) {
        throw new RangeError(
          `${this.toString()}: input [${shape.join(", ")}] needs buffers larger than memory allows (${e.message}); check padding, stride and the input shape`,
        );
      }
      throw e;
    }
    this.lastOutLength = y.data.length;
    return y;
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    if (this.lastX === undefined) throw _noForward(this);
    _checkGrad(this, gradOut, this.lastOutLength);
    const g = this.geometry;
    const gx = conv2dBackward(
      gradOut,
      this.lastX,
      this.lastShape,
      this.weight.data,
      this.weight.grad,
      this.bias?.grad ?? null,
      g,
      needInputGrad,
    );
    return gx ?? new Float32Array(0);
  }

  override extraRepr(): string {
    const g = this.geometry;
    let s = `${g.inChannels}, ${g.outChannels}, kernel_size=(${g.kernelH}, ${g.kernelW}), stride=(${g.strideH}, ${g.strideW})`;
    if (this.paddingRepr !== "(0, 0)") s += `, padding=${this.paddingRepr}`;
    if (g.dilationH !== 1 || g.dilationW !== 1) s += `, dilation=(${g.dilationH}, ${g.dilationW})`;
    if (g.groups !== 1) s += `, groups=${g.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}
