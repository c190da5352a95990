import type { QuantizedConv2dLayer } from "./_contract";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _convPartialSource, _requantPartialSource } from "./_kernelSources";
import { _requantParams } from "./_requantParams";
import { _checkConvLayer, _checkDim, _checkLength, _checkSize, _checkType } from "./_validate";

/** Output size of one spatial axis (PyTorch's formula). */
export function _convOutSize(
  size: number,
  kernel: number,
  stride: number,
  pad: number,
  dilation: number,
): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * Quantized 2-D convolution (NCHW uint8 input, OIHW int8 weight, zero padding in real terms, i.e.
 * padded with the input zero point), integer only: implicit im2col into exact block partial sums
 * over (input channel, kernel row) rows, then the requantization of sum + bias per output channel.
 */
export function* _conv2dPlan(
  dev: _Device,
  x: Uint8Array,
  layer: QuantizedConv2dLayer,
  shape: { batch: number; height: number; width: number },
  out: Uint8Array | undefined,
): _Plan<Uint8Array> {
  _checkConvLayer("layer", layer);
  if (shape === null || typeof shape !== "object") {
    throw new TypeError("input must be { batch, height, width }");
  }
  const { batch, height, width } = shape;
  _checkSize("input.batch", batch);
  _checkDim("input.height", height);
  _checkDim("input.width", width);
  const inCount = batch * layer.inChannels * height * width;
  _checkSize("batch * inChannels * height * width", inCount);
  _checkType("x", x, Uint8Array);
  _checkLength("x", x, inCount, "batch * inChannels * height * width");
  const outH = _convOutSize(height, layer.kernelH, layer.strideH, layer.padH, layer.dilationH);
  const outW = _convOutSize(width, layer.kernelW, layer.strideW, layer.padW, layer.dilationW);
  if (outH < 1 || outW < 1) {
    throw new RangeError(
      `the ${height}x${width} input is smaller than the dilated ${layer.kernelH}x${layer.kernelW} kernel with padding ${layer.padH},${layer.padW}: the output would be ${outH}x${outW}`,
    );
  }
  const pixels = outH * outW;
  const rowsOut = batch * layer.outChannels;
  _checkSize("batch * outChannels * outH * outW", rowsOut * pixels);
  const result = out ?? new Uint8Array(rowsOut * pixels);
  _checkType("out", result, Uint8Array);
  _checkLength("out", result, rowsOut * pixels, "batch * outChannels * outH * outW");

  if (batch === 0) return result;
  const zx = layer.inputZeroPoint;
  const maxProduct = Math.max(zx, 255 - zx) * 128;
  // A block is whole kernel rows: kernelW <= 514 (checked) fits at least one.
  const rowsPerBlock = Math.max(1, Math.floor(2 ** 24 / (maxProduct * layer.kernelW)));
  const kernelRows = (layer.inChannels / layer.groups) * layer.kernelH;
  const nb = Math.ceil(kernelRows / rowsPerBlock);
  const perBlock = Math.ceil(kernelRows / nb);
  const rq = _requantParams(layer.outChannels, layer.multiplier, layer.shift, layer.bias);

  const held: _DeviceArray[] = [];
  try {
    const xDev = yield* dev.upload(x);
    held.push(xDev);
    const wDev = yield* dev.upload(layer.weight);
    held.push(wDev);
    const rqDev = yield* dev.upload(rq);
    held.push(rqDev);
    const partial = yield* dev.compute(
      _convPartialSource({ ...layer, batch, height, width, outH, outW, rowsPerBlock: perBlock, nb }),
      nb > 1 ? [pixels, rowsOut, nb] : [rowsOut * pixels],
      Math.max(perBlock, layer.kernelW),
      [xDev, wDev, zx],
    );
    held.push(partial);
    const codes = yield* dev.compute(
      _requantPartialSource(nb, pixels, "row", layer.outChannels),
      [rowsOut * pixels],
      Math.max(nb, 31),
      [partial, rqDev, layer.outputZeroPoint, layer.outputMin, layer.outputMax],
    );
    held.push(codes);
    result.set(yield* dev.read(held.pop(), rowsOut * pixels));
    return result;
  } finally {
    for (const v of held) dev.release(v);
  }
}
