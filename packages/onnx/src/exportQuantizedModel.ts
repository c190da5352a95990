import type { ActivationQParams, IntegerConv2d, IntegerFlatten, IntegerLinear } from "@quantkit/ptq";
import { QuantizedModel } from "@quantkit/ptq";
import { transpose2d } from "@quantkit/tensor";
import { _checkOptions, _show } from "./_errors";
import type { ModelProto, NodeProto, TensorProto } from "./_gen/onnx_pb";
import { DataType } from "./dataType";
import { fromArray } from "./fromArray";
import { makeGraph, makeModel } from "./makeModel";
import { makeNode } from "./makeNode";
import { makeValueInfo } from "./valueInfo";

/** Options of {@link exportQuantizedModel}. */
export interface ExportQuantizedModelOptions {
  /** The graph input's name (float32 `[batch, ...model.inputShape]`). Default "input". */
  inputName?: string;
  /** The graph output's name (float32 `[batch, ...model.outputShape]`, the dequantized logits). Default "logits". */
  outputName?: string;
  /** The batch dimension: a symbolic name or a fixed size. Default "batch". */
  batch?: string | number;
  /** The graph's name. Default "quantkit". */
  graphName?: string;
}

/** The opset of the models written: per-axis QuantizeLinear / DequantizeLinear need 13. */
const OPSET = 13;

/** Where a tensor of uint8 codes is, with the initializers of its quantization. */
interface Codes {
  name: string;
  scale: string;
  zeroPoint: string;
  qparams: ActivationQParams;
}

/** The graph being written: nodes and initializers in order. */
class _Builder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];

  add(tensor: TensorProto): string {
    this.initializers.push(tensor);
    return tensor.name;
  }

  node(opType: string, inputs: string[], output: string, name: string, attributes = {}): string {
    this.nodes.push(makeNode(opType, inputs, [output], { name, attributes }));
    return output;
  }

  /** float -> QuantizeLinear (ONNX divides by the scale) -> Clip on the codes when the range is not 0..255. */
  quantize(x: string, q: ActivationQParams, prefix: string): Codes {
    const scale = this.add(fromArray(Float32Array.of(q.scale), { dims: [], name: `${prefix}.scale` }));
    const zeroPoint = this.add(
      fromArray(Uint8Array.of(q.zeroPoint), { dims: [], name: `${prefix}.zero_point` }),
    );
    let codes = this.node("QuantizeLinear", [x, scale, zeroPoint], `${prefix}.quantized`, `${prefix}/Quant`);
    if (q.quantMin > 0 || q.quantMax < 255) {
      // ptq's clamp at the observer's code range (7-bit activations of reduceRange): exact on uint8 codes.
      const lo = this.add(fromArray(Uint8Array.of(q.quantMin), { dims: [], name: `${prefix}.quant_min` }));
      const hi = this.add(fromArray(Uint8Array.of(q.quantMax), { dims: [], name: `${prefix}.quant_max` }));
      codes = this.node("Clip", [codes, lo, hi], `${prefix}.clipped`, `${prefix}/Clip`);
    }
    return { name: codes, scale, zeroPoint, qparams: q };
  }

  dequantize(c: Codes, output: string, name: string): string {
    return this.node("DequantizeLinear", [c.name, c.scale, c.zeroPoint], output, name);
  }

  /** A float op on the dequantized codes, quantized back with the same parameters (ReLU, pooling, reshapes). */
  floatOp(c: Codes, prefix: string, opType: string, extra: string[], attributes = {}): Codes {
    const x = this.dequantize(c, `${prefix}.input`, `${prefix}/DequantInput`);
    const y = this.node(opType, [x, ...extra], `${prefix}.output`, `${prefix}/${opType}`, attributes);
    const q = this.quantize(y, c.qparams, `${prefix}.output`);
    return q;
  }
}

/** int8 codes + per-channel (on `axis`) or per-tensor scales, zero points 0 -> DequantizeLinear; the float weight's name. */
function _weight(
  b: _Builder,
  layer: IntegerLinear | IntegerConv2d,
  dims: number[],
  codes: Int8Array,
  axis: number,
): string {
  const p = layer.name;
  const scale = layer.weight.scale;
  const perChannel = scale.length > 1 || layer.weight.qscheme === "per_channel_symmetric";
  const channels = dims[axis]!;
  if (scale.length !== (perChannel ? channels : 1)) {
    throw new RangeError(
      `exportQuantizedModel: layer ${_show(p)} has ${scale.length} weight scales for ${channels} output channels`,
    );
  }
  const scaleDims = perChannel ? [channels] : [];
  const w = b.add(fromArray(codes, { dims, name: `${p}.weight_quantized` }));
  const s = b.add(fromArray(Float32Array.from(scale), { dims: scaleDims, name: `${p}.weight_scale` }));
  const z = b.add(
    fromArray(new Int8Array(scale.length), { dims: scaleDims, name: `${p}.weight_zero_point` }),
  );
  return b.node(
    "DequantizeLinear",
    [w, s, z],
    `${p}.weight`,
    `${p}/DequantWeight`,
    perChannel ? { axis } : {},
  );
}

/** ptq's int32 bias (scale float32(s_in * s_w[c]), zero point 0) -> DequantizeLinear. */
function _bias(b: _Builder, layer: IntegerLinear | IntegerConv2d, input: ActivationQParams): string {
  const p = layer.name;
  const bias = layer.kernel.bias;
  const w = layer.weight.scale;
  const scale = new Float32Array(bias.length);
  for (let c = 0; c < bias.length; c++) scale[c] = Math.fround(input.scale * w[w.length === 1 ? 0 : c]!);
  const q = b.add(fromArray(bias.slice(), { dims: [bias.length], name: `${p}.bias_quantized` }));
  const s = b.add(fromArray(scale, { dims: [bias.length], name: `${p}.bias_scale` }));
  const z = b.add(
    fromArray(new Int32Array(bias.length), { dims: [bias.length], name: `${p}.bias_zero_point` }),
  );
  return b.node("DequantizeLinear", [q, s, z], `${p}.bias`, `${p}/DequantBias`, { axis: 0 });
}

/** A Linear: Gemm (transB 1) on a 2-D input, MatMul + Add otherwise; then the fused ReLU and the output's quantization. */
function _linear(b: _Builder, layer: IntegerLinear, c: Codes, rank: number): Codes {
  const p = layer.name;
  const { inFeatures, outFeatures } = layer.kernel;
  const x = b.dequantize(c, `${p}.input`, `${p}/DequantInput`);
  let y: string;
  if (rank === 2) {
    const w = _weight(b, layer, [outFeatures, inFeatures], layer.kernel.weight.slice(), 0);
    const bias = _bias(b, layer, c.qparams);
    y = b.node("Gemm", [x, w, bias], `${p}.output`, `${p}/Gemm`, { transB: 1 });
  } else {
    // MatMul takes B as [in, out]: the codes are transposed (exactly) and the channel axis becomes 1.
    const t = transpose2d(layer.kernel.weight, outFeatures, inFeatures);
    const w = _weight(b, layer, [inFeatures, outFeatures], t, 1);
    const bias = _bias(b, layer, c.qparams);
    const m = b.node("MatMul", [x, w], `${p}.matmul`, `${p}/MatMul`);
    y = b.node("Add", [m, bias], `${p}.output`, `${p}/Add`);
  }
  return _output(b, layer, y);
}

function _conv(b: _Builder, layer: IntegerConv2d, c: Codes): Codes {
  const p = layer.name;
  const k = layer.kernel;
  const x = b.dequantize(c, `${p}.input`, `${p}/DequantInput`);
  const w = _weight(
    b,
    layer,
    [k.outChannels, k.inChannels / k.groups, k.kernelH, k.kernelW],
    k.weight.slice(),
    0,
  );
  const bias = _bias(b, layer, c.qparams);
  const y = b.node("Conv", [x, w, bias], `${p}.output`, `${p}/Conv`, {
    kernel_shape: [k.kernelH, k.kernelW],
    strides: [k.strideH, k.strideW],
    pads: [k.padH, k.padW, k.padH, k.padW],
    dilations: [k.dilationH, k.dilationW],
    group: k.groups,
  });
  return _output(b, layer, y);
}

/** The fused ReLU (before QuantizeLinear: max(Q(y), zeroPoint) = Q(relu(y))) and the output's quantization. */
function _output(b: _Builder, layer: IntegerLinear | IntegerConv2d, y: string): Codes {
  const out = layer.relu ? b.node("Relu", [y], `${layer.name}.relu`, `${layer.name}/Relu`) : y;
  return b.quantize(out, layer.output, `${layer.name}.output`);
}

/** ptq's Flatten(startDim, endDim): ONNX Flatten (axis 1) when it flattens every axis after the batch, else Reshape. */
function _flatten(
  b: _Builder,
  layer: IntegerFlatten,
  c: Codes,
  inShape: readonly number[],
  outShape: readonly number[],
): Codes {
  const start = layer.startDim < 0 ? layer.startDim + inShape.length : layer.startDim;
  if (start === 1 && outShape.length === 2) return b.floatOp(c, layer.name, "Flatten", [], { axis: 1 });
  // Reshape to the output shape: 0 copies the batch dimension, -1 when the batch is merged (startDim 0).
  const dims = [start === 0 ? -1 : 0, ...outShape.slice(1)].map(BigInt);
  const target = b.add(fromArray(BigInt64Array.from(dims), { name: `${layer.name}.shape` }));
  return b.floatOp(c, layer.name, "Reshape", [target]);
}

/**
 * Writes an integer model of @quantkit/ptq (`convert` after PTQ or QAT, or `loadQuantizedModel`) as a QDQ
 * ONNX model (opset 13) that onnxruntime runs: float32 input `[batch, ...inputShape]` -> QuantizeLinear
 * with the QuantStub's scale and zero point; each Linear / Conv2d as DequantizeLinear of the uint8
 * activation codes, DequantizeLinear of ptq's int8 weight codes (per output channel: axis 0 of Conv's
 * and Gemm's weight), DequantizeLinear of ptq's int32 bias (scale float32(s_in * s_w), zero point 0),
 * Gemm (transB 1) / Conv, the fused Relu, and QuantizeLinear with the layer's output scale and zero
 * point; ReLU, MaxPool2d and Flatten layers as float ops between DequantizeLinear and QuantizeLinear
 * with the same parameters; a Clip on the uint8 codes where ptq clamps to a narrower range than
 * 0..255 (reduceRange's 7-bit activations); the output dequantized to float32 logits.
 *
 * The codes written are ptq's own (weights are not requantized). onnxruntime then computes what the
 * integer model computes except for rounding: ONNX's QuantizeLinear divides where ptq's QuantStub
 * multiplies by the inverse scale, and onnxruntime requantizes in float where ptq uses a fixed-point
 * multiplier, so an output code may differ by one near a tie (the README gives the measured agreement).
 * Errors name the layer: a weight scale count that does not fit its channels; TypeError for a model that
 * is not a `QuantizedModel`.
 *
 * @example
 * import { createMlp } from "@quantkit/nn";
 * import { calibrate, convert, prepare } from "@quantkit/ptq";
 * import { writeModel } from "@quantkit/onnx";
 * import { exportQuantizedModel } from "@quantkit/onnx/nn";
 * const prepared = prepare(createMlp([4, 8, 3], { seed: 0 }));
 * await calibrate(prepared, [{ x: Float32Array.of(0, 1, 2, 3, 3, 2, 1, 0), y: [0, 1], size: 2, shape: [2, 4] }]);
 * const onnx = exportQuantizedModel(convert(prepared));
 * onnx.graph!.node.map((n) => n.opType).slice(0, 6);
 * // ["QuantizeLinear", "Clip", "DequantizeLinear", "DequantizeLinear", "DequantizeLinear", "Gemm"]
 * const bytes = writeModel(onnx); // onnxruntime-node / -web: InferenceSession.create(bytes)
 */
export function exportQuantizedModel(
  model: QuantizedModel,
  options?: ExportQuantizedModelOptions,
): ModelProto {
  _checkOptions("exportQuantizedModel", options, ["inputName", "outputName", "batch", "graphName"]);
  if (!(model instanceof QuantizedModel)) {
    throw new TypeError(
      `exportQuantizedModel: model must be a QuantizedModel of @quantkit/ptq, got ${_show(model)}`,
    );
  }
  const inputName = _name(options?.inputName ?? "input", "inputName");
  const outputName = _name(options?.outputName ?? "logits", "outputName");
  const graphName = _name(options?.graphName ?? "quantkit", "graphName");
  const batch = options?.batch ?? "batch";
  if (
    !(typeof batch === "string" && batch !== "") &&
    !(Number.isSafeInteger(batch) && (batch as number) > 0)
  ) {
    throw new RangeError(
      `exportQuantizedModel: options.batch must be a dimension name or a positive integer, got ${_show(batch)}`,
    );
  }
  const b = new _Builder();
  let codes = b.quantize(inputName, model.input, "quant");
  // Every layer's full shape for batch 1 (ptq checked that they chain): one forward pass of zeros.
  const shapes = model.trace(new Float32Array(model.inputSize), 1).map((t) => t.shape);
  for (const [i, layer] of model.layers.entries()) {
    const shape = shapes[i]!;
    switch (layer.kind) {
      case "linear":
        codes = _linear(b, layer, codes, shape.length);
        break;
      case "conv2d":
        codes = _conv(b, layer, codes);
        break;
      case "relu":
        codes = b.floatOp(codes, layer.name, "Relu", []);
        break;
      case "maxpool2d": {
        const [ph, pw] = layer.padding;
        codes = b.floatOp(codes, layer.name, "MaxPool", [], {
          kernel_shape: [...layer.kernelSize],
          strides: [...layer.stride],
          pads: [ph, pw, ph, pw],
          dilations: [...layer.dilation],
          ceil_mode: layer.ceilMode ? 1 : 0,
        });
        break;
      }
      case "flatten":
        codes = _flatten(b, layer, codes, shape, shapes[i + 1]!);
        break;
    }
  }
  b.dequantize(codes, outputName, "dequant/DequantOutput");
  const graph = makeGraph({
    name: graphName,
    node: b.nodes,
    input: [makeValueInfo(inputName, DataType.FLOAT, [batch, ...model.inputShape])],
    output: [makeValueInfo(outputName, DataType.FLOAT, [batch, ...model.outputShape])],
    initializer: b.initializers,
  });
  return makeModel(graph, { opsets: { "": OPSET } });
}

function _name(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(
      `exportQuantizedModel: options.${what} must be a non-empty string, got ${_show(value)}`,
    );
  }
  return value;
}
