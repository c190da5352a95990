import { parseSafetensors, type SafetensorsFile } from "@quantkit/nn";
import { unpackInt2, unpackInt4 } from "@quantkit/quantizers";
import { _checkActivation } from "./_activation";
import { type _Json, _Reader, _Tensors } from "./_modelFileReader";
import {
  _bitsOf,
  type _ConvGeometry,
  _prepareConv2d,
  _prepareLinear,
  _sameMultipliers,
} from "./_quantizeLayer";
import type {
  ActivationQParams,
  IntegerConv2d,
  IntegerLayer,
  IntegerLinear,
  WeightQuantization,
} from "./integerLayers";
import { QuantizedModel } from "./QuantizedModel";
import {
  _packingFor,
  _READABLE_FORMAT_VERSIONS,
  QUANTIZED_MODEL_FORMAT,
  QUANTIZED_MODEL_FORMAT_VERSION,
} from "./serializeQuantizedModel";

function positiveScales(s: Float32Array, where: string, file: string): void {
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    if (!(v > 0) || !Number.isFinite(v))
      throw new RangeError(`${file}: ${where}[${i}] must be a positive finite scale, got ${v}`);
  }
}

/**
 * Reads an integer model written by `serializeQuantizedModel` (browser-safe; `loadQuantizedModel`
 * reads a file) and validates everything before returning it, with a RangeError that names the file
 * and the problem: the safetensors structure (nn's `parseSafetensors`: truncation, header, offsets),
 * the format and version, the JSON description of every layer, each tensor's presence, dtype and
 * shape, no tensor left over, weight codes inside their range (packed ones unpacked), scales
 * positive and finite, zero points inside their ranges, the stored fixed-point multipliers and shifts
 * equal to the ones the scales give, and the layers chaining (shapes and qparams). The loaded model
 * gives the same codes as the one saved.
 *
 * @example
 * const model = parseQuantizedModel(bytes, "mlp-int8.safetensors");
 * model.predict(x, batch);
 */
export function parseQuantizedModel(bytes: Uint8Array, name = "bytes"): QuantizedModel {
  return _quantizedModelFromFile(parseSafetensors(bytes, name), name);
}

/** {@link parseQuantizedModel} after the safetensors layer: validates a parsed file as an integer model. */
export function _quantizedModelFromFile(file: SafetensorsFile, name: string): QuantizedModel {
  const md = file.metadata;
  if (md.format !== QUANTIZED_MODEL_FORMAT) {
    throw new RangeError(
      `${name} is not a quantkit integer model: metadata "format" is ${JSON.stringify(md.format)}, expected "${QUANTIZED_MODEL_FORMAT}"`,
    );
  }
  if (md.format_version === undefined || !_READABLE_FORMAT_VERSIONS.includes(md.format_version)) {
    throw new RangeError(
      `${name}: format_version ${JSON.stringify(md.format_version)} is not supported (this version of @quantkit/ptq reads ${_READABLE_FORMAT_VERSIONS.map((v) => `"${v}"`).join(" and ")})`,
    );
  }
  // Version 2 carries a CRC-32 of the whole file (nn's parseSafetensors verified it); without one the
  // file was damaged (a changed key) or edited.
  if (md.format_version === QUANTIZED_MODEL_FORMAT_VERSION && md.quantkit_crc32 === undefined) {
    throw new RangeError(
      `${name}: format_version "2" needs __metadata__.quantkit_crc32, which is missing: the file is corrupt`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(md.model ?? "");
  } catch (error) {
    throw new RangeError(`${name}: metadata "model" is not valid JSON (${(error as Error).message})`);
  }
  const r = new _Reader(name);
  const t = new _Tensors(file.tensors, name);
  const model = r.object(parsed, 'metadata "model"');
  const inputShape = r.ints(model.inputShape, "model.inputShape", null, 1);
  if (inputShape.length === 0) throw r.fail("model.inputShape", "must not be empty");
  const rangeOf = (v: unknown, where: string) => {
    const o = r.object(v, where);
    return {
      quantMin: r.int(o.quantMin, `${where}.quantMin`, 0, 255),
      quantMax: r.int(o.quantMax, `${where}.quantMax`, 0, 255),
    };
  };
  const activation = (prefix: string, where: string, rangeJson: unknown): ActivationQParams => {
    const a = {
      scale: t.take(`${prefix}scale`, "F32", [1])[0]!,
      zeroPoint: t.take(`${prefix}zero_point`, "I32", [1])[0]!,
      ...rangeOf(rangeJson, `${where}`),
    };
    try {
      _checkActivation(a, where);
    } catch (error) {
      throw new RangeError(`${name}: ${(error as Error).message}`);
    }
    return a;
  };
  function observedRangeOf(v: unknown, where: string): { min: number; max: number } | null {
    if (v === null || v === undefined) return null;
    const o = r.object(v, where);
    if (typeof o.min !== "number" || typeof o.max !== "number" || !(o.min <= o.max)) {
      throw r.fail(where, `must be { min, max } with min <= max, got ${JSON.stringify(v)}`);
    }
    return { min: o.min, max: o.max };
  }
  const input = activation("quant.", "model.input", model.input);
  const inputObservedRange = observedRangeOf(
    r.object(model.input, "model.input").observedRange,
    "model.input.observedRange",
  );
  if (!Array.isArray(model.layers) || model.layers.length === 0)
    throw r.fail("model.layers", "must be a non-empty list");
  const info: Record<string, string> = {};
  if (model.info !== undefined) {
    for (const [k, v] of Object.entries(r.object(model.info, "model.info")))
      info[k] = r.string(v, `model.info.${k}`);
  }
  const layers: IntegerLayer[] = [];
  const names = new Set<string>(["quant"]);
  let current = input;
  for (const [i, raw] of (model.layers as unknown[]).entries()) {
    const lj = r.object(raw, `model.layers[${i}]`);
    const layerName = r.string(lj.name, `model.layers[${i}].name`);
    if (names.has(layerName)) throw r.fail(`model.layers[${i}].name`, `"${layerName}" is used twice`);
    names.add(layerName);
    const where = `layer "${layerName}"`;
    const sourceName =
      lj.sourceName === undefined ? layerName : r.string(lj.sourceName, `${where}.sourceName`);
    const kind = lj.kind;
    if (kind === "linear" || kind === "conv2d") {
      const layer = weighted(lj, kind, layerName, sourceName, where);
      layers.push(layer);
      current = layer.output;
    } else if (kind === "maxpool2d") {
      layers.push({
        kind,
        name: layerName,
        sourceName,
        kernelSize: r.pair(lj.kernelSize, `${where}.kernelSize`, 1),
        stride: r.pair(lj.stride, `${where}.stride`, 1),
        padding: r.pair(lj.padding, `${where}.padding`, 0),
        dilation: r.pair(lj.dilation, `${where}.dilation`, 1),
        ceilMode: r.bool(lj.ceilMode, `${where}.ceilMode`),
      });
    } else if (kind === "flatten") {
      layers.push({
        kind,
        name: layerName,
        sourceName,
        startDim: r.int(lj.startDim, `${where}.startDim`, -64, 64),
        endDim: r.int(lj.endDim, `${where}.endDim`, -64, 64),
      });
    } else if (kind === "relu") {
      layers.push({ kind, name: layerName, sourceName });
    } else {
      throw r.fail(
        `${where}.kind`,
        `must be linear, conv2d, maxpool2d, flatten or relu, got ${JSON.stringify(kind)}`,
      );
    }
  }
  t.checkAllUsed();
  try {
    return new QuantizedModel({ inputShape, input, inputObservedRange, layers, info });
  } catch (error) {
    throw new RangeError(`${name}: ${(error as Error).message}`);
  }

  function weighted(
    lj: _Json,
    kind: "linear" | "conv2d",
    layerName: string,
    sourceName: string,
    where: string,
  ): IntegerLinear | IntegerConv2d {
    const p = `${layerName}.`;
    const relu = r.bool(lj.relu, `${where}.relu`);
    const weightShape = r.ints(lj.weightShape, `${where}.weightShape`, kind === "linear" ? 2 : 4, 1);
    const bits = r.int(lj.weightBits, `${where}.weightBits`, 2, 8);
    const quantMin = r.int(lj.weightQuantMin, `${where}.weightQuantMin`, -128, -1);
    const quantMax = r.int(lj.weightQuantMax, `${where}.weightQuantMax`, 1, 127);
    if (_bitsOf(quantMin, quantMax) !== bits) {
      throw r.fail(`${where}.weightBits`, `${bits} does not match the code range [${quantMin}, ${quantMax}]`);
    }
    const packing = _packingFor(bits);
    if (lj.packing !== packing)
      throw r.fail(
        `${where}.packing`,
        `must be "${packing}" for ${bits}-bit weights, got ${JSON.stringify(lj.packing)}`,
      );
    const qscheme = lj.weightQScheme;
    if (qscheme !== "per_tensor_symmetric" && qscheme !== "per_channel_symmetric") {
      throw r.fail(
        `${where}.weightQScheme`,
        `must be per_tensor_symmetric or per_channel_symmetric, got ${JSON.stringify(qscheme)}`,
      );
    }
    const out = weightShape[0]!;
    const n = weightShape.reduce((a, b) => a * b, 1);
    let codes: Int8Array;
    if (packing === "int8") codes = t.take(`${p}weight`, "I8", weightShape).slice();
    else {
      const packed = t.take(`${p}weight_packed`, "U8", [Math.ceil(n / (packing === "int4" ? 2 : 4))]);
      codes =
        packing === "int4"
          ? unpackInt4(packed, { length: n, signed: true })
          : unpackInt2(packed, { length: n, signed: true });
    }
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c < quantMin || c > quantMax) {
        throw new RangeError(
          `${name}: ${where} weight code ${c} at index ${i} lies outside [${quantMin}, ${quantMax}]`,
        );
      }
    }
    const channels = qscheme === "per_channel_symmetric" ? out : 1;
    const weightScale = t.take(`${p}weight_scale`, "F32", [channels]).slice();
    positiveScales(weightScale, `${where} weight_scale`, name);
    const bias = t.take(`${p}bias`, "I32", [out]).slice();
    const output = activation(p, `${where}.output`, lj.output);
    const multiplier = t.take(`${p}multiplier`, "I32", [channels]).slice();
    const shift = t.take(`${p}shift`, "I32", [channels]).slice();
    const observedRange = observedRangeOf(lj.observedRange, `${where}.observedRange`);
    let weightSqnrDb: number | null = null;
    if (lj.weightSqnrDb !== null && lj.weightSqnrDb !== undefined) {
      if (typeof lj.weightSqnrDb !== "number")
        throw r.fail(
          `${where}.weightSqnrDb`,
          `must be a number or null, got ${JSON.stringify(lj.weightSqnrDb)}`,
        );
      weightSqnrDb = lj.weightSqnrDb;
    }
    const weight: WeightQuantization = { qscheme, scale: weightScale, quantMin, quantMax, bits };
    const common = { name: layerName, sourceName, relu, output, weight, observedRange, weightSqnrDb };
    // The file's int32 bias is what was converted; the clamp comes from prepare*, as in convert.
    const source = { codes, weight, input: current, output, relu, bias };
    const at = `${name}: ${where}`;
    const checked = <K extends { multiplier: Int32Array; shift: Int32Array }>(kernel: K): K => {
      if (!_sameMultipliers(kernel, { multiplier, shift })) {
        throw new RangeError(
          `${at}: the stored multiplier/shift disagree with the ones its scales give (s_in * s_w / s_out); the file is corrupt`,
        );
      }
      return kernel;
    };
    if (kind === "linear")
      return { kind, ...common, kernel: checked(_prepareLinear(source, weightShape[1]!, out, at)) };
    const c = r.object(lj.conv, `${where}.conv`);
    const groups = r.int(c.groups, `${where}.conv.groups`, 1, 2 ** 31 - 1);
    const geometry: _ConvGeometry = {
      inChannels: weightShape[1]! * groups,
      outChannels: out,
      kernelSize: [weightShape[2]!, weightShape[3]!],
      stride: r.pair(c.stride, `${where}.conv.stride`, 1),
      padding: r.pair(c.padding, `${where}.conv.padding`, 0),
      dilation: r.pair(c.dilation, `${where}.conv.dilation`, 1),
      groups,
    };
    return { kind, ...common, kernel: checked(_prepareConv2d(source, geometry, at)) };
  }
}
