import { assertConvGroups, convOutputSize, pair2d, type Size2d } from "@quantkit/tensor";

import { _assertLength, _assertPositiveInt } from "./_validate";
import type { QuantizedConv2dLayer } from "./types";

export type { Size2d } from "@quantkit/tensor";

/** Resolves a {@link Size2d} (or `fallback` when absent) to [h, w]: tensor's `pair2d`. */
export function _pair(
  value: Size2d | undefined,
  fallback: number,
  name: string,
  allowZero = false,
): [number, number] {
  return pair2d(value ?? fallback, name, allowZero ? 0 : 1);
}

/** The geometry fields of a conv layer (as {@link QuantizedConv2dLayer} names them). */
export type _ConvLayerShape = Pick<
  QuantizedConv2dLayer,
  | "inChannels"
  | "outChannels"
  | "kernelH"
  | "kernelW"
  | "strideH"
  | "strideW"
  | "padH"
  | "padW"
  | "dilationH"
  | "dilationW"
  | "groups"
>;

/** A convolution's channels and hyper-parameters, as `conv2dF32` and `prepareQuantizedConv2d` take them. */
export interface Conv2dShapeOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: Size2d;
  /** Default 1. */
  stride?: Size2d;
  /** Zero padding on each side (the quantized convolution pads with the input zero point, the code of 0.0). Default 0. */
  padding?: Size2d;
  /** Default 1. */
  dilation?: Size2d;
  /** Default 1; must divide inChannels and outChannels. */
  groups?: number;
}

/** The keys of {@link Conv2dShapeOptions}, for the options check. */
export const _CONV_SHAPE_KEYS = [
  "inChannels",
  "outChannels",
  "kernelSize",
  "stride",
  "padding",
  "dilation",
  "groups",
] as const;

/**
 * A conv call's options resolved and checked: channels positive, groups dividing both, kernel size,
 * stride and dilation pairs of positive integers (default 1), padding of non-negative ones (default 0).
 */
export function _convLayerShape(o: Conv2dShapeOptions): _ConvLayerShape {
  const { inChannels, outChannels } = o;
  _assertPositiveInt(inChannels, "inChannels");
  _assertPositiveInt(outChannels, "outChannels");
  const groups = o.groups ?? 1;
  assertConvGroups(inChannels, outChannels, groups);
  const [kernelH, kernelW] = _pair(o.kernelSize, 1, "kernelSize");
  const [strideH, strideW] = _pair(o.stride, 1, "stride");
  const [padH, padW] = _pair(o.padding, 0, "padding", true);
  const [dilationH, dilationW] = _pair(o.dilation, 1, "dilation");
  return {
    inChannels,
    outChannels,
    kernelH,
    kernelW,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    groups,
  };
}

/** Checks a conv weight's length: outChannels * (inChannels / groups) * kernelH * kernelW (OIHW). */
export function _assertConvWeightLength(weight: { length: number }, s: _ConvLayerShape): void {
  const cg = s.inChannels / s.groups;
  _assertLength(
    weight,
    s.outChannels * cg * s.kernelH * s.kernelW,
    "weight",
    `outChannels * (inChannels / groups) * kernelH * kernelW (${s.outChannels} * ${cg} * ${s.kernelH} * ${s.kernelW})`,
  );
}

/**
 * The output length of a convolution along one axis (PyTorch's formula):
 * floor((size + 2 padding - dilation (kernel - 1) - 1) / stride) + 1. Throws when it is below 1.
 */
export function _convOutputSize(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  axis: "height" | "width",
): number {
  const out = convOutputSize(size, kernel, { stride, padding, dilation });
  if (out < 1) {
    const span = dilation * (kernel - 1) + 1;
    throw new RangeError(
      `the input ${axis} ${size} with padding ${padding} is smaller than the dilated kernel (${span}): no output ${axis}`,
    );
  }
  return out;
}

/**
 * Writes the im2col matrix of one image x [C, H, W] (at xOff) to out [C kh kw, outH outW] (at outOff):
 * row (c kh + i) kw + j, column oh outW + ow holds x[c, oh sh - ph + i dh, ow sw - pw + j dw], or
 * `padValue` outside the image. Valid input: checked geometry (the public functions check it).
 */
export function _im2colInto(
  x: ArrayLike<number>,
  xOff: number,
  channels: number,
  height: number,
  width: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  dh: number,
  dw: number,
  outH: number,
  outW: number,
  padValue: number,
  out: { [i: number]: number; fill(value: number, start: number, end: number): unknown },
  outOff: number,
): void {
  let o = outOff;
  for (let c = 0; c < channels; c++) {
    const plane = xOff + c * height * width;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const dx = j * dw - pw;
        // ow range whose input column lies inside [0, width): ow sw + dx in [0, width).
        const owLo = Math.min(outW, Math.max(0, Math.ceil(-dx / sw)));
        const owHi = Math.max(owLo, Math.min(outW, Math.ceil((width - dx) / sw)));
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= height) {
            out.fill(padValue, o, o + outW);
            o += outW;
            continue;
          }
          const row = plane + ih * width + dx;
          if (owLo > 0) out.fill(padValue, o, o + owLo);
          for (let ow = owLo; ow < owHi; ow++) out[o + ow] = x[row + ow * sw]!;
          if (owHi < outW) out.fill(padValue, o + owHi, o + outW);
          o += outW;
        }
      }
    }
  }
}
