import { maxPool2dIndices } from "@quantkit/nn";
import { convOutputSize, poolOutputSize } from "@quantkit/tensor";
import type { IntegerLayer, IntegerMaxPool2d } from "./integerLayers";

/** One axis of a pooling layer's window, as poolOutputSize takes it. */
function pool(layer: IntegerMaxPool2d, axis: 0 | 1) {
  return {
    stride: layer.stride[axis],
    padding: layer.padding[axis],
    dilation: layer.dilation[axis],
    ceilMode: layer.ceilMode,
  };
}

/**
 * The full output shape (batch first) of an integer layer for a full input shape, checking that they
 * fit; RangeError naming the layer otherwise.
 */
export function _outputShape(layer: IntegerLayer, shape: readonly number[]): number[] {
  const bad = (what: string) =>
    new RangeError(`layer "${layer.name}" (${layer.kind}): input shape [${shape.join(", ")}] ${what}`);
  switch (layer.kind) {
    case "linear": {
      if (shape.length < 2 || shape[shape.length - 1] !== layer.kernel.inFeatures) {
        throw bad(`must end in inFeatures = ${layer.kernel.inFeatures}`);
      }
      return [...shape.slice(0, -1), layer.kernel.outFeatures];
    }
    case "conv2d": {
      const k = layer.kernel;
      if (shape.length !== 4 || shape[1] !== k.inChannels)
        throw bad(`must be NCHW with ${k.inChannels} channels`);
      const outH = convOutputSize(shape[2]!, k.kernelH, {
        stride: k.strideH,
        padding: k.padH,
        dilation: k.dilationH,
      });
      const outW = convOutputSize(shape[3]!, k.kernelW, {
        stride: k.strideW,
        padding: k.padW,
        dilation: k.dilationW,
      });
      if (outH <= 0 || outW <= 0) throw bad(`is too small for the kernel (output ${outH}x${outW})`);
      return [shape[0]!, k.outChannels, outH, outW];
    }
    case "maxpool2d": {
      if (shape.length !== 4) throw bad("must be NCHW");
      const outH = poolOutputSize(shape[2]!, layer.kernelSize[0], pool(layer, 0));
      const outW = poolOutputSize(shape[3]!, layer.kernelSize[1], pool(layer, 1));
      if (outH <= 0 || outW <= 0) throw bad(`is too small for the window (output ${outH}x${outW})`);
      return [shape[0]!, shape[1]!, outH, outW];
    }
    case "flatten": {
      const rank = shape.length;
      const s = layer.startDim < 0 ? layer.startDim + rank : layer.startDim;
      const e = layer.endDim < 0 ? layer.endDim + rank : layer.endDim;
      if (s < 0 || e >= rank || s > e) throw bad(`does not have the axes ${layer.startDim}..${layer.endDim}`);
      let merged = 1;
      for (let i = s; i <= e; i++) merged *= shape[i]!;
      return [...shape.slice(0, s), merged, ...shape.slice(e + 1)];
    }
    case "relu":
      return [...shape];
  }
}

/**
 * Max pooling over uint8 NCHW codes, integer only: the largest code of each window (padding never
 * wins, like PyTorch's -Infinity padding). Valid for codes of any per-tensor quantization (max
 * commutes with a monotone map).
 */
export function _maxPool2dCodes(
  x: Uint8Array,
  shape: readonly number[],
  layer: IntegerMaxPool2d,
  outShape: readonly number[],
): Uint8Array {
  const [, , outH, outW] = outShape as [number, number, number, number];
  const at = maxPool2dIndices(x, shape as [number, number, number, number], layer, [outH, outW]);
  const out = new Uint8Array(at.length);
  for (let o = 0; o < at.length; o++) out[o] = x[at[o]!]!; // a window always overlaps the input
  return out;
}

/** ReLU on codes: max(code, zeroPoint), a new array. */
export function _reluCodes(x: Uint8Array, zeroPoint: number): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = Math.max(v, zeroPoint);
  }
  return out;
}
