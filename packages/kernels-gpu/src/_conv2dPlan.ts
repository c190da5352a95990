import { checkQuantizedConv2dArgs, type QuantizedConv2dLayer } from "@quantkit/kernels";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _convPartialSource, _requantPartialSource } from "./_kernelSources";
import { _checkElements, _checkLimit, _checkReduction } from "./_limits";
import { _requantParams } from "./_requantParams";

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
  const { batch, height, width, outH, outW, out: result } = checkQuantizedConv2dArgs(x, layer, shape, out);
  _checkConvLimits(layer);
  _checkElements("batch * inChannels * height * width", batch * layer.inChannels * height * width);
  const pixels = outH * outW;
  const rowsOut = batch * layer.outChannels;
  _checkElements("batch * outChannels * outH * outW", rowsOut * pixels);

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

/** The GPU's own bounds on a conv layer (the contract's checks have run). */
function _checkConvLimits(layer: QuantizedConv2dLayer): void {
  for (const f of [
    "kernelH",
    "kernelW",
    "strideH",
    "strideW",
    "dilationH",
    "dilationW",
    "padH",
    "padW",
  ] as const) {
    _checkLimit(`layer.${f}`, layer[f], 2 ** 16, "float32 index arithmetic");
  }
  // A kernel row (kernelW products of at most 255 * 128) must fit one exact block.
  _checkLimit("layer.kernelW", layer.kernelW, 514, "one kernel row per exact block");
  _checkReduction(
    "layer reduction (inChannels / groups * kernelH * kernelW)",
    (layer.inChannels / layer.groups) * layer.kernelH * layer.kernelW,
  );
}
