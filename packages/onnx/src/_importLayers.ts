// One ONNX node (with the constant inputs it reads) -> one @quantkit/nn module, for importSequential.
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, type Module, ReLU } from "@quantkit/nn";
import { transpose2d } from "@quantkit/tensor";
import { _show } from "./_errors";
import type { NodeProto, TensorProto } from "./_gen/onnx_pb";
import { getAttribute } from "./attribute";
import { toArray } from "./toArray";
import { toFloat32Array } from "./toFloat32Array";

/** What a converter knows: the node, its constant inputs, and an error naming the node. */
export interface _NodeContext {
  node: NodeProto;
  /** The constant (initializer or Constant node) of an input name, or undefined for a computed value. */
  constant(name: string): TensorProto | undefined;
  /** One sample's shape of the node's data input, or null when unknown. */
  inputShape: readonly number[] | null;
  /** A RangeError starting with the node's name and op. */
  fail(message: string): RangeError;
}

const dims = (t: TensorProto) => t.dims.map(Number);

/** The constant at input `i`, or an error naming it. */
function _constantInput(c: _NodeContext, i: number, what: string): TensorProto {
  const name = c.node.input[i];
  const t = name === undefined || name === "" ? undefined : c.constant(name);
  if (t === undefined) {
    throw c.fail(`${what} (input ${i}, ${_show(name)}) must be an initializer or a Constant`);
  }
  return t;
}

/** An optional constant input: undefined when absent or empty. */
function _optionalConstant(c: _NodeContext, i: number, what: string): TensorProto | undefined {
  const name = c.node.input[i];
  return name === undefined || name === "" ? undefined : _constantInput(c, i, what);
}

function _int(c: _NodeContext, name: string, fallback: number): number {
  const v = getAttribute(c.node, name);
  return v === undefined ? fallback : Number(v as bigint);
}

function _ints(c: _NodeContext, name: string): number[] | undefined {
  const v = getAttribute(c.node, name);
  return v === undefined ? undefined : (v as bigint[]).map(Number);
}

function _float(c: _NodeContext, name: string, fallback: number): number {
  const v = getAttribute(c.node, name);
  return v === undefined ? fallback : (v as number);
}

/** A per-channel vector from a constant of `channels` values ([C], [1, C], [C, 1, 1], [1, C, 1, 1], or a scalar). */
export function _channelVector(
  c: _NodeContext,
  t: TensorProto,
  channels: number,
  what: string,
): Float32Array {
  const values = toFloat32Array(t);
  const shape = dims(t);
  if (values.length === 1) return new Float32Array(channels).fill(values[0]!);
  const nonUnit = shape.filter((d) => d !== 1);
  if (values.length !== channels || nonUnit.length !== 1) {
    throw c.fail(
      `${what} ${_show(t.name)} of shape [${shape.join(", ")}] is not one value per channel (${channels})`,
    );
  }
  return values;
}

/** Spatial pads [top, left, bottom, right] as symmetric [padH, padW], or an error naming them. */
function _symmetricPads(c: _NodeContext): [number, number] {
  const autoPad = getAttribute(c.node, "auto_pad") ?? "NOTSET";
  if (autoPad === "VALID") return [0, 0];
  if (autoPad !== "NOTSET") {
    throw c.fail(`auto_pad ${_show(autoPad)} is not supported (NOTSET with explicit pads, or VALID)`);
  }
  const pads = _ints(c, "pads") ?? [0, 0, 0, 0];
  if (pads.length !== 4 || pads[0] !== pads[2] || pads[1] !== pads[3]) {
    throw c.fail(`pads ${_show(pads)} must be 2-D and the same on both sides of each axis ([h, w, h, w])`);
  }
  return [pads[0]!, pads[1]!];
}

/** Gemm (transA 0, transB 0/1, alpha, beta, C of [N] / [1, N] / a scalar) plus an extra bias -> Linear. */
export function _gemm(c: _NodeContext, extraBias: Float32Array | null): Linear {
  if (_int(c, "transA", 0) !== 0)
    throw c.fail("transA 1 is not supported (the input must be [batch, features])");
  const transB = _int(c, "transB", 0);
  const alpha = _float(c, "alpha", 1);
  const beta = _float(c, "beta", 1);
  const b = _constantInput(c, 1, "B");
  const bd = dims(b);
  if (bd.length !== 2) throw c.fail(`B ${_show(b.name)} must be 2-D, got [${bd.join(", ")}]`);
  const [outF, inF] = transB === 1 ? [bd[0]!, bd[1]!] : [bd[1]!, bd[0]!];
  const values = toFloat32Array(b);
  const cTensor = _optionalConstant(c, 2, "C");
  const hasBias = cTensor !== undefined || extraBias !== null;
  const linear = new Linear(inF, outF, { bias: hasBias });
  const w = linear.weight.data;
  w.set(transB === 1 ? values : transpose2d(values, inF, outF));
  if (alpha !== 1) for (let j = 0; j < w.length; j++) w[j] = Math.fround(alpha * w[j]!);
  if (linear.bias !== null) {
    const bias = linear.bias.data;
    bias.fill(0);
    if (cTensor !== undefined) {
      const cv = _channelVector(c, cTensor, outF, "C");
      for (let o = 0; o < outF; o++) bias[o] = beta === 1 ? cv[o]! : Math.fround(beta * cv[o]!);
    }
    if (extraBias !== null) for (let o = 0; o < outF; o++) bias[o] = Math.fround(bias[o]! + extraBias[o]!);
  }
  return linear;
}

/** MatMul by a constant [K, N] (+ the bias of the Add after it) -> Linear. */
export function _matMul(c: _NodeContext, bias: Float32Array | null): Linear {
  const b = _constantInput(c, 1, "B");
  const bd = dims(b);
  if (bd.length !== 2) throw c.fail(`B ${_show(b.name)} must be 2-D [in, out], got [${bd.join(", ")}]`);
  const [inF, outF] = [bd[0]!, bd[1]!];
  const values = toFloat32Array(b);
  const linear = new Linear(inF, outF, { bias: bias !== null });
  linear.weight.data.set(transpose2d(values, inF, outF));
  if (bias !== null) linear.bias!.data.set(bias);
  return linear;
}

/** Conv (2-D, symmetric pads, strides, dilations, groups) (+ the bias of an Add after it) -> Conv2d. */
export function _conv(c: _NodeContext, extraBias: Float32Array | null): Conv2d {
  const w = _constantInput(c, 1, "W");
  const wd = dims(w);
  if (wd.length !== 4)
    throw c.fail(`only 2-D convolutions are supported; W ${_show(w.name)} is [${wd.join(", ")}]`);
  const [outC, inPerGroup, kh, kw] = wd as [number, number, number, number];
  const kernel = _ints(c, "kernel_shape");
  if (kernel !== undefined && (kernel[0] !== kh || kernel[1] !== kw)) {
    throw c.fail(`kernel_shape ${_show(kernel)} does not match W [${wd.join(", ")}]`);
  }
  const groups = _int(c, "group", 1);
  const [strideH, strideW] = _ints(c, "strides") ?? [1, 1];
  const [dilationH, dilationW] = _ints(c, "dilations") ?? [1, 1];
  const padding = _symmetricPads(c);
  const b = _optionalConstant(c, 2, "B");
  const conv = new Conv2d(inPerGroup * groups, outC, [kh, kw], {
    stride: [strideH!, strideW!],
    padding,
    dilation: [dilationH!, dilationW!],
    groups,
    bias: b !== undefined || extraBias !== null,
  });
  conv.weight.data.set(toFloat32Array(w));
  if (conv.bias !== null) {
    const bias = conv.bias.data;
    bias.fill(0);
    if (b !== undefined) bias.set(_channelVector(c, b, outC, "B"));
    if (extraBias !== null) for (let o = 0; o < outC; o++) bias[o] = Math.fround(bias[o]! + extraBias[o]!);
  }
  return conv;
}

/** BatchNormalization (inference: training_mode 0) -> BatchNorm2d with the running statistics. */
export function _batchNorm(c: _NodeContext): BatchNorm2d {
  if (_int(c, "training_mode", 0) !== 0)
    throw c.fail("training_mode 1 is not supported (export the model in eval mode)");
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) =>
    toFloat32Array(_constantInput(c, i, ["scale", "B", "input_mean", "input_var"][i - 1]!)),
  ) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const channels = scale.length;
  if ([bias, mean, variance].some((v) => v.length !== channels)) {
    throw c.fail(`scale, B, mean and var must have one value per channel (${channels})`);
  }
  // ONNX's momentum weighs the running value (0.9), PyTorch's the new batch (0.1).
  const bn = new BatchNorm2d(channels, {
    eps: _float(c, "epsilon", 1e-5),
    momentum: 1 - _float(c, "momentum", 0.9),
  });
  bn.weight!.data.set(scale);
  bn.bias!.data.set(bias);
  bn.runningMean!.set(mean);
  bn.runningVar!.set(variance);
  return bn;
}

/** MaxPool (2-D, symmetric pads, strides, dilations, ceil_mode; storage_order 0) -> MaxPool2d. */
export function _maxPool(c: _NodeContext): MaxPool2d {
  const kernel = _ints(c, "kernel_shape");
  if (kernel === undefined || kernel.length !== 2) throw c.fail(`kernel_shape ${_show(kernel)} must be 2-D`);
  if (_int(c, "storage_order", 0) !== 0) throw c.fail("storage_order 1 is not supported");
  const [ph, pw] = _symmetricPads(c);
  const [sh, sw] = _ints(c, "strides") ?? [1, 1];
  const [dh, dw] = _ints(c, "dilations") ?? [1, 1];
  return new MaxPool2d([kernel[0]!, kernel[1]!], {
    stride: [sh!, sw!],
    padding: [ph, pw],
    dilation: [dh!, dw!],
    ceilMode: _int(c, "ceil_mode", 0) === 1,
  });
}

/** Flatten with axis 1 (every axis after the batch) -> Flatten(1, -1). */
export function _flatten(c: _NodeContext): Flatten {
  const axis = _int(c, "axis", 1);
  const rank = c.inputShape === null ? null : c.inputShape.length + 1;
  if (axis !== 1 && !(rank !== null && axis === 1 - rank)) {
    throw c.fail(`axis ${axis} is not supported (axis 1: [batch, features])`);
  }
  return new Flatten(1, -1);
}

/** Reshape to [batch, features] (a constant shape [0, -1], [-1, F], [0, F] or [B, -1]) -> Flatten(1, -1). */
export function _reshape(c: _NodeContext, batch: number | null): Flatten {
  const shape = Array.from(toArray(_constantInput(c, 1, "shape")) as BigInt64Array, Number);
  const features = c.inputShape === null ? null : c.inputShape.reduce((a, b) => a * b, 1);
  const [first, second] = shape;
  const flattens =
    shape.length === 2 &&
    (((first === 0 || (batch !== null && first === batch)) && (second === -1 || second === features)) ||
      (first === -1 && features !== null && second === features));
  if (!flattens || _int(c, "allowzero", 0) !== 0) {
    throw c.fail(
      `shape ${_show(shape)} is not a flatten to [batch, features] of a [batch, ${c.inputShape?.join(", ") ?? "?"}] input (only those Reshapes are supported)`,
    );
  }
  return new Flatten(1, -1);
}

/** Relu -> ReLU. */
export function _relu(): Module {
  return new ReLU();
}
