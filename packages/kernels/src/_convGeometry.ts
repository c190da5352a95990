import { type _ConvLayerShape, _convOutputSize, _im2colInto } from "./_convShape";
import type { _ConvGeometry } from "./_engine";
import { _assertDim } from "./_validate";

/** Checks the input size of a conv call and resolves the output size. */
export function _convGeometry(
  layer: _ConvLayerShape,
  input: { batch: number; height: number; width: number },
  inputName: string,
): _ConvGeometry {
  if (typeof input !== "object" || input === null) {
    throw new TypeError(`${inputName} must be an object { batch, height, width }`);
  }
  _assertDim(input.batch, `${inputName}.batch`);
  _assertDim(input.height, `${inputName}.height`);
  _assertDim(input.width, `${inputName}.width`);
  const outH = _convOutputSize(
    input.height,
    layer.kernelH,
    layer.strideH,
    layer.padH,
    layer.dilationH,
    "height",
  );
  const outW = _convOutputSize(
    input.width,
    layer.kernelW,
    layer.strideW,
    layer.padW,
    layer.dilationW,
    "width",
  );
  return {
    batch: input.batch,
    height: input.height,
    width: input.width,
    inChannels: layer.inChannels,
    outChannels: layer.outChannels,
    kernelH: layer.kernelH,
    kernelW: layer.kernelW,
    strideH: layer.strideH,
    strideW: layer.strideW,
    padH: layer.padH,
    padW: layer.padW,
    dilationH: layer.dilationH,
    dilationW: layer.dilationW,
    groups: layer.groups,
    outH,
    outW,
  };
}

/**
 * Writes the im2col matrix of image `img` of a conv call's input (NCHW) to `out` at `outOff`: {@link _im2colInto}
 * with the call's geometry, `padValue` outside the image.
 */
export function _im2colImage(
  input: ArrayLike<number>,
  img: number,
  g: _ConvGeometry,
  padValue: number,
  out: Uint8Array | Float32Array,
  outOff: number,
): void {
  _im2colInto(
    input,
    img * g.inChannels * g.height * g.width,
    g.inChannels,
    g.height,
    g.width,
    g.kernelH,
    g.kernelW,
    g.strideH,
    g.strideW,
    g.padH,
    g.padW,
    g.dilationH,
    g.dilationW,
    g.outH,
    g.outW,
    padValue,
    out,
    outOff,
  );
}
