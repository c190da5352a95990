import { pair2d, poolOutputSize, type Shape, type Tensor } from "@quantkit/tensor";
import type { Size2 } from "./conv2d";
import { maxPool2dIndices } from "./maxPool2dIndices";
import { _checkGrad, _checkInput, _noForward, Module } from "./module";

/** Options of {@link MaxPool2d}, PyTorch's arguments in camelCase. */
export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: Size2;
  /** Implicit -Infinity padding on each side, at most half the kernel. Default 0. */
  padding?: Size2;
  /** Default 1. */
  dilation?: Size2;
  /** Round the output size up instead of down (a last window must still start inside the input or left padding). Default false. */
  ceilMode?: boolean;
}

/**
 * The maximum over each window of NCHW input (PyTorch's `nn.MaxPool2d`). The gradient goes to the
 * first maximum of each window (row-major), as PyTorch's CPU kernel does; NaN wins a window.
 *
 * @example
 * new MaxPool2d(2).forward(new Float32Array([1, 2, 5, 3, 4, 0, 7, 8, 9, 1, 2, 3, 6, 5, 4, 8]), [1, 1, 4, 4]).data
 * // Float32Array [4, 8, 9, 8]
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;
  private lastArgmax: Int32Array | undefined;
  private lastInLength = 0;

  constructor(kernelSize: Size2, options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = pair2d(kernelSize, "kernelSize", 1);
    this.stride = pair2d(options.stride ?? kernelSize, "stride", 1);
    this.padding = pair2d(options.padding ?? 0, "padding", 0);
    this.dilation = pair2d(options.dilation ?? 1, "dilation", 1);
    this.ceilMode = options.ceilMode ?? false;
    for (const a of [0, 1] as const) {
      if (this.padding[a] > this.kernelSize[a] / 2) {
        throw new RangeError(
          `padding must be at most half the kernel size, got padding ${this.padding[a]} for kernel ${this.kernelSize[a]}`,
        );
      }
    }
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    _checkInput(this, x, shape);
    if (shape.length !== 4)
      throw new RangeError(`MaxPool2d.forward: input must be NCHW, got [${shape.join(", ")}]`);
    const [n, c, h, w] = shape as [number, number, number, number];
    const [kh, kw] = this.kernelSize;
    const [sh, sw] = this.stride;
    const [ph, pw] = this.padding;
    const [dh, dw] = this.dilation;
    const outH = poolOutputSize(h, kh, { stride: sh, padding: ph, dilation: dh, ceilMode: this.ceilMode });
    const outW = poolOutputSize(w, kw, { stride: sw, padding: pw, dilation: dw, ceilMode: this.ceilMode });
    if (outH <= 0 || outW <= 0)
      throw new RangeError(
        `MaxPool2d: input ${h}x${w} is too small for the window; output would be ${outH}x${outW}`,
      );
    const argmax = maxPool2dIndices(x, [n, c, h, w], this, [outH, outW]);
    const out = new Float32Array(argmax.length);
    for (let o = 0; o < argmax.length; o++) {
      const at = argmax[o]!;
      out[o] = at < 0 ? Number.NEGATIVE_INFINITY : x[at]!;
    }
    this.lastArgmax = argmax;
    this.lastInLength = x.length;
    return { data: out, shape: [n, c, outH, outW] };
  }

  backward(gradOut: Float32Array): Float32Array {
    const argmax = this.lastArgmax;
    if (argmax === undefined) throw _noForward(this);
    _checkGrad(this, gradOut, argmax.length);
    const dx = new Float32Array(this.lastInLength);
    for (let i = 0; i < argmax.length; i++) {
      const at = argmax[i]!;
      if (at >= 0) dx[at] = dx[at]! + gradOut[i]!;
    }
    return dx;
  }

  override extraRepr(): string {
    const f = (p: [number, number]) => (p[0] === p[1] ? `${p[0]}` : `(${p[0]}, ${p[1]})`);
    return `kernel_size=${f(this.kernelSize)}, stride=${f(this.stride)}, padding=${f(this.padding)}, dilation=${f(this.dilation)}, ceil_mode=${this.ceilMode ? "True" : "False"}`;
  }
}
