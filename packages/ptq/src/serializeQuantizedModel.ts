import { type SafetensorsInput, serializeSafetensors } from "@quantkit/nn";
import { packInt2, packInt4 } from "@quantkit/quantizers";
import { assertOptions } from "@quantkit/tensor";
import type { ActivationQParams, IntegerConv2d, IntegerLayer, IntegerLinear } from "./integerLayers";
import { QuantizedModel } from "./QuantizedModel";

/**
 * The `format` metadata value of a quantkit integer model file.
 *
 * @example
 * parseSafetensors(serializeQuantizedModel(model)).metadata.format === QUANTIZED_MODEL_FORMAT // true
 */
export const QUANTIZED_MODEL_FORMAT = "quantkit.quantized-model";
/**
 * The version of the file layout this package writes and reads.
 *
 * @example
 * parseSafetensors(bytes).metadata.format_version // "2"
 */
export const QUANTIZED_MODEL_FORMAT_VERSION = "2";
/** Versions this package reads: "1" (no checksum) and "2" (the same layout with a CRC-32 of the file). */
export const _READABLE_FORMAT_VERSIONS: readonly string[] = ["1", "2"];

/** How weight codes of a bit width are stored: int8 (5..8 bits), two per byte (3..4), four per byte (2). */
export function _packingFor(bits: number): "int8" | "int4" | "int2" {
  return bits <= 2 ? "int2" : bits <= 4 ? "int4" : "int8";
}

/** The JSON description of one activation's integer range (scale and zero point are tensors). */
export interface _RangeJson {
  quantMin: number;
  quantMax: number;
}

/** One layer in the file's JSON metadata. */
export type _LayerJson =
  | {
      kind: "linear" | "conv2d";
      name: string;
      sourceName: string;
      relu: boolean;
      output: _RangeJson;
      weightShape: number[];
      weightBits: number;
      weightQScheme: "per_tensor_symmetric" | "per_channel_symmetric";
      weightQuantMin: number;
      weightQuantMax: number;
      packing: "int8" | "int4" | "int2";
      observedRange: { min: number; max: number } | null;
      weightSqnrDb: number | null;
      conv?: {
        stride: [number, number];
        padding: [number, number];
        dilation: [number, number];
        groups: number;
      };
    }
  | {
      kind: "maxpool2d";
      name: string;
      sourceName: string;
      kernelSize: [number, number];
      stride: [number, number];
      padding: [number, number];
      dilation: [number, number];
      ceilMode: boolean;
    }
  | { kind: "flatten"; name: string; sourceName: string; startDim: number; endDim: number }
  | { kind: "relu"; name: string; sourceName: string };

/** The file's `model` metadata entry. */
export interface _ModelJson {
  inputShape: number[];
  input: _RangeJson & { observedRange?: { min: number; max: number } | null };
  layers: _LayerJson[];
  info: Record<string, string>;
}

const range = (a: ActivationQParams): _RangeJson => ({ quantMin: a.quantMin, quantMax: a.quantMax });

function weightedJson(l: IntegerLinear | IntegerConv2d): _LayerJson {
  const weightShape =
    l.kind === "linear"
      ? [l.kernel.outFeatures, l.kernel.inFeatures]
      : [l.kernel.outChannels, l.kernel.inChannels / l.kernel.groups, l.kernel.kernelH, l.kernel.kernelW];
  const json: _LayerJson = {
    kind: l.kind,
    name: l.name,
    sourceName: l.sourceName,
    relu: l.relu,
    output: range(l.output),
    weightShape,
    weightBits: l.weight.bits,
    weightQScheme: l.weight.qscheme,
    weightQuantMin: l.weight.quantMin,
    weightQuantMax: l.weight.quantMax,
    packing: _packingFor(l.weight.bits),
    observedRange: l.observedRange === null ? null : { min: l.observedRange.min, max: l.observedRange.max },
    // JSON has no Infinity: a lossless weight (all codes exact) is written as null.
    weightSqnrDb: l.weightSqnrDb !== null && Number.isFinite(l.weightSqnrDb) ? l.weightSqnrDb : null,
  };
  if (l.kind === "conv2d") {
    const c = l.kernel;
    json.conv = {
      stride: [c.strideH, c.strideW],
      padding: [c.padH, c.padW],
      dilation: [c.dilationH, c.dilationW],
      groups: c.groups,
    };
  }
  return json;
}

function layerJson(l: IntegerLayer): _LayerJson {
  switch (l.kind) {
    case "linear":
    case "conv2d":
      return weightedJson(l);
    case "maxpool2d":
      return {
        kind: "maxpool2d",
        name: l.name,
        sourceName: l.sourceName,
        kernelSize: [...l.kernelSize],
        stride: [...l.stride],
        padding: [...l.padding],
        dilation: [...l.dilation],
        ceilMode: l.ceilMode,
      };
    case "flatten":
      return {
        kind: "flatten",
        name: l.name,
        sourceName: l.sourceName,
        startDim: l.startDim,
        endDim: l.endDim,
      };
    case "relu":
      return { kind: "relu", name: l.name, sourceName: l.sourceName };
  }
}

/**
 * The integer model as safetensors bytes (browser-safe; `saveQuantizedModel` writes them to a file):
 * - `quant.scale` F32 [1], `quant.zero_point` I32 [1]: the input quantization;
 * - per Linear/Conv2d layer `<name>.`: `weight` I8 (5..8-bit codes, the layer's shape) or
 *   `weight_packed` U8 (3..4-bit codes two per byte, 2-bit codes four per byte, low bits first:
 *   quantizers' `packInt4` / `packInt2`), `weight_scale` F32 [1] or [outChannels], `bias` I32
 *   [outChannels] (scale s_in * s_w, zero point 0), `scale` F32 [1] and `zero_point` I32 [1] (the
 *   output), `multiplier` and `shift` I32 (the fixed-point requantization, so that an integer-only
 *   runtime needs no float at all);
 * - `__metadata__`: `format` "quantkit.quantized-model", `format_version` "2", `quantkit_crc32` (the
 *   CRC-32 of the whole file, verified on load: any changed byte is an error), and `model`, a JSON
 *   string with the input shape, every layer (kind, name, integer ranges, weight shape, bits, qscheme,
 *   packing, fused ReLU, convolution and pooling geometry, the range calibration observed) and `info`.
 *
 * The seed's MLP is about 92 KB at 8 bits (360 KB as float32), about 47 KB at 4 bits.
 *
 * @example
 * const bytes = serializeQuantizedModel(quantized);
 * bytes.length                                         // its size on disk in bytes
 * parseQuantizedModel(bytes).predict(x, batch)         // the same predictions
 */
export function serializeQuantizedModel(
  model: QuantizedModel,
  options: QuantizedModelFileOptions = {},
): Uint8Array {
  const { tensors, metadata } = _quantizedModelTensors(model, options, "serializeQuantizedModel");
  return serializeSafetensors(tensors, metadata, { checksum: true });
}

/** Options of {@link serializeQuantizedModel} and `saveQuantizedModel`. */
export interface QuantizedModelFileOptions {
  /**
   * Extra `__metadata__` strings stored with the model (e.g. `run_id`, to tie a file to the run that
   * wrote it); they are covered by the checksum. The keys the format uses are not allowed.
   */
  metadata?: Record<string, string>;
}

/** The tensors and metadata of {@link serializeQuantizedModel}. */
export function _quantizedModelTensors(
  model: QuantizedModel,
  options: QuantizedModelFileOptions,
  fn: string,
): {
  tensors: Record<string, SafetensorsInput>;
  metadata: Record<string, string>;
} {
  if (!(model instanceof QuantizedModel)) {
    throw new TypeError(
      `${fn}: model must be a QuantizedModel (from convert or loadQuantizedModel), got ${model === null ? "null" : Object.prototype.toString.call(model)}`,
    );
  }
  assertOptions(options, ["metadata"], `${fn} options`);
  const extra = options.metadata ?? {};
  for (const [k, v] of Object.entries(extra)) {
    if (["format", "format_version", "model", "quantkit_crc32"].includes(k))
      throw new RangeError(`${fn}: options.metadata may not set "${k}", which the format uses`);
    if (typeof v !== "string") throw new TypeError(`${fn}: options.metadata["${k}"] must be a string`);
  }
  const tensors: Record<string, SafetensorsInput> = {
    "quant.scale": { dtype: "F32", shape: [1], data: Float32Array.of(model.input.scale) },
    "quant.zero_point": { dtype: "I32", shape: [1], data: Int32Array.of(model.input.zeroPoint) },
  };
  for (const l of model.layers) {
    if (l.kind !== "linear" && l.kind !== "conv2d") continue;
    const p = `${l.name}.`;
    const json = weightedJson(l);
    if (json.kind !== "linear" && json.kind !== "conv2d") continue;
    const codes = l.kernel.weight;
    if (json.packing === "int8")
      tensors[`${p}weight`] = { dtype: "I8", shape: json.weightShape, data: codes };
    else {
      const packed = json.packing === "int4" ? packInt4(codes) : packInt2(codes);
      tensors[`${p}weight_packed`] = { dtype: "U8", shape: [packed.length], data: packed };
    }
    tensors[`${p}weight_scale`] = { dtype: "F32", shape: [l.weight.scale.length], data: l.weight.scale };
    tensors[`${p}bias`] = { dtype: "I32", shape: [l.kernel.bias.length], data: l.kernel.bias };
    tensors[`${p}scale`] = { dtype: "F32", shape: [1], data: Float32Array.of(l.output.scale) };
    tensors[`${p}zero_point`] = { dtype: "I32", shape: [1], data: Int32Array.of(l.output.zeroPoint) };
    tensors[`${p}multiplier`] = {
      dtype: "I32",
      shape: [l.kernel.multiplier.length],
      data: l.kernel.multiplier,
    };
    tensors[`${p}shift`] = { dtype: "I32", shape: [l.kernel.shift.length], data: l.kernel.shift };
  }
  const json: _ModelJson = {
    inputShape: [...model.inputShape],
    input: { ...range(model.input), observedRange: model.inputObservedRange },
    layers: model.layers.map(layerJson),
    info: { ...model.info },
  };
  const metadata = {
    ...extra,
    format: QUANTIZED_MODEL_FORMAT,
    format_version: QUANTIZED_MODEL_FORMAT_VERSION,
    model: JSON.stringify(json),
  };
  return { tensors, metadata };
}
