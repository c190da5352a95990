import { clone, create } from "@bufbuild/protobuf";
import { float16 } from "@quantkit/numeric";
import {
  type AwqOptions,
  awq,
  type BlockQuantized,
  type GptqOptions,
  gptq,
  type HqqOptions,
  hqq,
  packBlockedDequantizeLinear,
  packMatMulNBits,
  quantizeBlockwise,
  type WeightBits,
} from "@quantkit/weights";
import { _checkOptions, _show } from "./_errors";
import {
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  type TensorProto,
  TensorProtoSchema,
} from "./_gen/onnx_pb";
import { _attr, type _Constant, _node, _opset, type _Scope, _scopes } from "./_quantGraph";
import { _dropUnused, _floatWeight, _notQuantizedReason, _report, _stringList } from "./_rewrite";
import { createNameScope, type NameScope } from "./createNameScope";
import { DataType } from "./dataType";
import { fromArray } from "./fromArray";
import { makeOpsetId } from "./makeModel";
import type { NodeReport } from "./quantizationReport";
import type { QuantizeResult } from "./quantizeDynamic";
import { writeModel } from "./writeModel";

/** The weight-only methods of {@link quantizeMatMulNBits}. */
export const WEIGHT_ONLY_METHODS = ["rtn", "gptq", "awq", "hqq"] as const;
/** One of {@link WEIGHT_ONLY_METHODS}. */
export type WeightOnlyMethod = (typeof WEIGHT_ONLY_METHODS)[number];

/** Options of {@link quantizeMatMulNBits}. */
export interface QuantizeMatMulNBitsOptions {
  /** Bits per weight: 4 (default), 8 or 2. */
  bits?: WeightBits;
  /** Weights per block along K: a power of two in 16..256 (default 32, transformers.js's q4). */
  blockSize?: number;
  /**
   * Symmetric blocks (zero point 2^(bits-1), no zero-point input; transformers.js's q4, the default) or
   * asymmetric (ONNX Runtime's own default). HQQ is always asymmetric.
   */
  symmetric?: boolean;
  /** Scales in float32 (default) or float16 (q4f16; the activations must then be float16 too). */
  scaleType?: "float32" | "float16";
  /** `com.microsoft.MatMulNBits` (default; onnxruntime-node and -web) or opset-21 blocked DequantizeLinear + MatMul ("QDQ"). */
  format?: "MatMulNBits" | "QDQ";
  /** MatMulNBits' accuracy_level 0..4 (the lowest type A may be converted to; 4 = int8); written only when > 0. */
  accuracyLevel?: number;
  /** "rtn" (default, equal to ONNX Runtime's quantizer), "gptq", "awq" (need `activations`) or "hqq" (data-free). */
  method?: WeightOnlyMethod;
  /** GPTQ / AWQ / HQQ options beyond the block options above. */
  methodOptions?: Omit<GptqOptions, "bits" | "blockSize" | "symmetric" | "scaleType" | "layout"> &
    Omit<AwqOptions, "bits" | "blockSize" | "symmetric" | "scaleType" | "layout"> &
    Omit<HqqOptions, "bits" | "blockSize" | "scaleType" | "layout">;
  /**
   * The calibration rows [rows, K] of each MatMul's first input, by its value name, as
   * {@link collectMatMulInputs} returns them (gptq and awq only).
   */
  activations?: ReadonlyMap<string, Float32Array>;
  /** Names of MatMul nodes to keep float. */
  exclude?: readonly string[];
}

const _KEYS = [
  "bits",
  "blockSize",
  "symmetric",
  "scaleType",
  "format",
  "accuracyLevel",
  "method",
  "methodOptions",
  "activations",
  "exclude",
];

/**
 * Weight-only quantization of every MatMul with a constant 2-D float32 weight B [K, N] (in any graph,
 * If / Loop / Scan bodies included; from an initializer or a Constant node), as ONNX Runtime's
 * `MatMulNBitsQuantizer` and transformers.js's `q4` / `q4f16` do: B in blocks of `blockSize` along K, each
 * with its own scale (and zero point), written as `com.microsoft.MatMulNBits` (or, with format "QDQ", as an
 * opset-21 blocked DequantizeLinear feeding the MatMul). Methods: round-to-nearest ("rtn"), equal bit for
 * bit to ONNX Runtime's quantizer; "gptq" and "awq" with the layer inputs of {@link collectMatMulInputs}
 * (AWQ adds a Mul by 1/s on the MatMul's input, where s is its per-channel scale); "hqq" (float zero
 * points). Every MatMul reports what it became, or why it stayed float, and the SQNR of its effective
 * weight against the float one. The input model is not modified.
 *
 * @example
 * ```ts
 * import { quantizeMatMulNBits, readModel, writeModel } from "@quantkit/onnx";
 * const { model, report } = quantizeMatMulNBits(readModel(bytes), { bits: 4, blockSize: 32 });
 * report.nodes.filter((n) => n.quantized).length; // MatMuls now MatMulNBits
 * report.sizeBytesAfter / report.sizeBytesBefore; // about 0.16 for a model of MatMul weights
 * writeModel(model);
 * ```
 */
export function quantizeMatMulNBits(model: ModelProto, options?: QuantizeMatMulNBitsOptions): QuantizeResult {
  const fn = "quantizeMatMulNBits";
  _checkOptions(fn, options, _KEYS);
  const o = _parse(options ?? {}, fn);
  const opset = _opset(model);
  if (opset < (o.format === "QDQ" ? 21 : 1)) {
    throw new RangeError(
      o.format === "QDQ"
        ? `${fn}: format "QDQ" needs opset 21 (blocked DequantizeLinear with int4); the model imports opset ${opset}: use format "MatMulNBits"`
        : `${fn}: the model imports no default-domain opset`,
    );
  }
  const sizeBytesBefore = writeModel(model).length;
  const copy = clone(ModelProtoSchema, model);
  const names = createNameScope(copy);
  const replaced = new Set<_Constant>();
  const nodes: NodeReport[] = [];
  const done = new Map<_Constant, _Packed>();
  for (const scope of _scopes(copy)) {
    const out: NodeProto[] = [];
    scope.graph.node.forEach((node, index) => {
      if (node.opType === "Constant" && node.domain === "") {
        out.push(node);
        return;
      }
      let detail: string;
      let quantized = false;
      if (node.opType !== "MatMul" || node.domain !== "") {
        detail = _notQuantizedReason(node, "MatMulNBits", ["MatMul"]);
      } else if (o.exclude.has(node.name)) {
        detail = "excluded by options.exclude";
      } else {
        const r = _matmul(node, { scope, names, out, replaced, done, o });
        quantized = r.ok;
        detail = r.detail;
      }
      if (!quantized) out.push(node);
      nodes.push(_report(node, index, scope, quantized, detail));
    });
    scope.graph.node = out;
  }
  _dropUnused(copy, replaced);
  if (o.format === "MatMulNBits" && nodes.some((n) => n.quantized)) _importMicrosoftDomain(copy);
  const sizeBytesAfter = writeModel(copy).length;
  return {
    model: copy,
    report: {
      mode: o.bits !== 4 ? "weight-only" : o.scaleType === "float16" ? "q4f16" : "q4",
      sizeBytesBefore,
      sizeBytesAfter,
      opsetBefore: opset,
      opsetAfter: opset,
      nodes,
    },
  };
}

interface _Parsed {
  bits: WeightBits;
  blockSize: number;
  symmetric: boolean;
  scaleType: "float32" | "float16";
  format: "MatMulNBits" | "QDQ";
  accuracyLevel: number;
  method: WeightOnlyMethod;
  methodOptions: Record<string, unknown>;
  activations: ReadonlyMap<string, Float32Array> | undefined;
  exclude: Set<string>;
}

function _parse(options: QuantizeMatMulNBitsOptions, fn: string): _Parsed {
  const bits = options.bits ?? 4;
  if (bits !== 2 && bits !== 4 && bits !== 8)
    throw new RangeError(`${fn}: bits must be 2, 4 or 8, got ${_show(bits)}`);
  const blockSize = options.blockSize ?? 32;
  if (
    !Number.isInteger(blockSize) ||
    blockSize < 16 ||
    blockSize > 256 ||
    (blockSize & (blockSize - 1)) !== 0
  ) {
    throw new RangeError(`${fn}: blockSize must be a power of two in 16..256, got ${_show(blockSize)}`);
  }
  const method = options.method ?? "rtn";
  if (!(WEIGHT_ONLY_METHODS as readonly string[]).includes(method)) {
    throw new RangeError(
      `${fn}: method must be one of ${WEIGHT_ONLY_METHODS.join(", ")}, got ${_show(method)}`,
    );
  }
  if (method === "hqq" && options.symmetric === true) {
    throw new RangeError(`${fn}: method "hqq" quantizes asymmetric blocks; symmetric: true is not possible`);
  }
  const symmetric = method === "hqq" ? false : (options.symmetric ?? true);
  if (typeof symmetric !== "boolean")
    throw new TypeError(`${fn}: symmetric must be a boolean, got ${_show(symmetric)}`);
  const scaleType = options.scaleType ?? "float32";
  if (scaleType !== "float32" && scaleType !== "float16") {
    throw new RangeError(`${fn}: scaleType must be "float32" or "float16", got ${_show(scaleType)}`);
  }
  const format = options.format ?? "MatMulNBits";
  if (format !== "MatMulNBits" && format !== "QDQ") {
    throw new RangeError(`${fn}: format must be "MatMulNBits" or "QDQ", got ${_show(format)}`);
  }
  if (format === "QDQ" && bits === 2)
    throw new RangeError(`${fn}: format "QDQ" has no 2-bit type; use bits 4 or 8`);
  const accuracyLevel = options.accuracyLevel ?? 0;
  if (!Number.isInteger(accuracyLevel) || accuracyLevel < 0 || accuracyLevel > 4) {
    throw new RangeError(`${fn}: accuracyLevel must be an integer in 0..4, got ${_show(accuracyLevel)}`);
  }
  if (format === "QDQ" && accuracyLevel > 0) {
    throw new RangeError(`${fn}: accuracyLevel is a MatMulNBits attribute; format "QDQ" has none`);
  }
  const activations = options.activations;
  if (activations !== undefined && !(activations instanceof Map)) {
    throw new TypeError(
      `${fn}: activations must be a Map of value name -> Float32Array, got ${_show(activations)}`,
    );
  }
  if ((method === "gptq" || method === "awq") && activations === undefined) {
    throw new TypeError(
      `${fn}: method ${_show(method)} needs calibration inputs: pass activations (collectMatMulInputs(model, ...))`,
    );
  }
  return {
    bits,
    blockSize,
    symmetric,
    scaleType,
    format,
    accuracyLevel,
    method,
    methodOptions: { ...(options.methodOptions ?? {}) },
    activations,
    exclude: new Set(_stringList(options.exclude, "exclude", fn) ?? []),
  };
}

/** The initializers a quantized weight became, shared by every MatMul that reads it. */
interface _Packed {
  inputs: string[];
  attributes: { K: number; N: number; bits: number; block_size: number };
  sqnrDb: number;
}

interface _Ctx {
  scope: _Scope;
  names: NameScope;
  out: NodeProto[];
  replaced: Set<_Constant>;
  done: Map<_Constant, _Packed>;
  o: _Parsed;
}

function _matmul(node: NodeProto, ctx: _Ctx): { ok: boolean; detail: string } {
  const { o } = ctx;
  const [a, b] = node.input;
  const w = _floatWeight(ctx.scope, b!);
  if (typeof w === "string") return { ok: false, detail: `weight ${w}` };
  if (w.dims.length !== 2) {
    return { ok: false, detail: `weight ${_show(b)} has rank ${w.dims.length}; MatMulNBits takes a 2-D B` };
  }
  const [K, N] = w.dims as [number, number];
  if (K < o.blockSize) {
    return { ok: false, detail: `K = ${K} is smaller than the block size ${o.blockSize}: kept float` };
  }
  const x = o.activations?.get(a!);
  if ((o.method === "gptq" || o.method === "awq") && x === undefined) {
    return {
      ok: false,
      detail: `no calibration rows for input ${_show(a)} (${o.method} needs them): kept float`,
    };
  }
  // A weight read by several MatMuls is quantized once, unless AWQ scales it for each input.
  let packed = o.method === "awq" ? undefined : ctx.done.get(w.constant);
  let inputScale: Float32Array | null = null;
  if (packed === undefined) {
    const q = _quantize(w.values, K, N, x, node, o);
    inputScale = q.inputScale;
    packed = _store(q.result, q.effective, w.values, b!, ctx);
    ctx.done.set(w.constant, packed);
  }
  ctx.replaced.add(w.constant);
  const base = node.name || node.output[0]!;
  let input = a!;
  if (inputScale !== null) {
    const inv = new Float32Array(K);
    for (let k = 0; k < K; k++) inv[k] = 1 / inputScale[k]!;
    const invName = ctx.names.unique(`${b}_awq_inverse_scale`);
    ctx.scope.graph.initializer.push(_tensor(invName, inv, [K], o.scaleType));
    input = ctx.names.unique(`${a}_awq_scaled`);
    ctx.out.push(_node("Mul", [a!, invName], [input], ctx.names.unique(`${base}_awq_scale`)));
  }
  const y = node.output[0]!;
  if (o.format === "MatMulNBits") {
    const attributes = Object.entries(packed.attributes).map(([k, v]) => _attr(k, v));
    if (o.accuracyLevel > 0) attributes.push(_attr("accuracy_level", o.accuracyLevel));
    ctx.out.push(
      _node(
        "MatMulNBits",
        [input, ...packed.inputs],
        [y],
        ctx.names.unique(`${base}_Q${o.bits}`),
        attributes,
        "com.microsoft",
      ),
    );
  } else {
    const deq = ctx.names.unique(`${b}_dequantized`);
    const dqAttributes = [_attr("axis", 0), _attr("block_size", o.blockSize)];
    ctx.out.push(
      _node("DequantizeLinear", packed.inputs, [deq], ctx.names.unique(`${base}_DQ`), dqAttributes),
      _node("MatMul", [input, deq], [y], ctx.names.unique(`${base}_matmul_Q${o.bits}`)),
    );
  }
  const how = o.format === "MatMulNBits" ? "MatMulNBits" : "DequantizeLinear + MatMul";
  const zero = o.method === "hqq" ? "float zero points" : o.symmetric ? "symmetric" : "asymmetric";
  return {
    ok: true,
    detail: `${how}: ${o.bits}-bit ${o.method}, blocks of ${o.blockSize}, ${zero}, ${o.scaleType} scales${
      inputScale === null ? "" : ", input scaled by 1/s (AWQ)"
    }; weight SQNR ${packed.sqnrDb.toFixed(1)} dB`,
  };
}

/** Runs the method on B [K, N]; `effective` is what the MatMul now multiplies unscaled inputs by. */
function _quantize(
  values: Float32Array,
  K: number,
  N: number,
  x: Float32Array | undefined,
  node: NodeProto,
  o: _Parsed,
): {
  result: BlockQuantized<Uint8Array | Float32Array>;
  effective: Float32Array;
  inputScale: Float32Array | null;
} {
  const block = { bits: o.bits, blockSize: o.blockSize, scaleType: o.scaleType, layout: "KN" as const };
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(Object.entries(o.methodOptions).filter(([k]) => keys.includes(k)));
  const shape: [number, number] = [K, N];
  try {
    switch (o.method) {
      case "rtn": {
        const q = quantizeBlockwise(values, shape, { ...block, symmetric: o.symmetric });
        return { result: q, effective: q.dequantized, inputScale: null };
      }
      case "gptq": {
        const opts = pick(["percDamp", "lazyBatchSize", "actOrder", "staticGroups"]);
        const q = gptq(values, shape, x!, { ...block, symmetric: o.symmetric, ...opts });
        return { result: q, effective: q.dequantized, inputScale: null };
      }
      case "awq": {
        const opts = pick(["nGrid", "clip", "clipGrid", "maxShrink", "clipSamples"]);
        const q = awq(values, shape, x!, { ...block, symmetric: o.symmetric, ...opts });
        return { result: q, effective: q.equivalentWeight, inputScale: q.inputScale };
      }
      case "hqq": {
        const opts = pick(["lpNorm", "beta", "kappa", "iterations", "earlyStop"]);
        const q = hqq(values, shape, { ...block, ...opts, roundZeroPoint: o.format === "QDQ" });
        return { result: q, effective: q.dequantized, inputScale: null };
      }
    }
  } catch (e) {
    throw new Error(
      `quantizeMatMulNBits: MatMul ${_show(node.name)} weight ${_show(node.input[1])}: ${(e as Error).message}`,
    );
  }
}

/** Adds the initializers of a quantized weight to the graph that held it. */
function _store(
  q: BlockQuantized<Uint8Array | Float32Array>,
  effective: Float32Array,
  original: Float32Array,
  b: string,
  ctx: _Ctx,
): _Packed {
  const { o } = ctx;
  const graph = ctx.scope.graph;
  const add = (suffix: string, t: ReturnType<typeof fromArray>) => {
    t.name = ctx.names.unique(`${b}_${suffix}`);
    graph.initializer.push(t);
    return t.name;
  };
  const sqnrDb = _sqnrDb(original, effective);
  if (o.format === "MatMulNBits") {
    const p = packMatMulNBits(q);
    const inputs = [
      add(`Q${o.bits}`, fromArray(p.B.data, { dims: p.B.dims })),
      add("scales", _fromScales(p.scales.data, p.scales.dims)),
    ];
    if (p.zeroPoints !== null) {
      const z = p.zeroPoints;
      inputs.push(
        add(
          "zero_points",
          z.type === "uint8"
            ? fromArray(z.data as Uint8Array, { dims: z.dims })
            : _fromScales(z.data as Float32Array | Uint16Array, z.dims),
        ),
      );
    }
    return { inputs, attributes: p.attributes, sqnrDb };
  }
  const p = packBlockedDequantizeLinear(q);
  const inputs = [
    add(`DQ_Q${o.bits}`, _packedCodes(p.x.data, p.x.dims, p.x.type)),
    add("DQ_scales", _fromScales(p.xScale.data, p.xScale.dims)),
  ];
  if (p.xZeroPoint !== null) {
    inputs.push(add("DQ_zero_points", _packedCodes(p.xZeroPoint.data, p.xZeroPoint.dims, p.xZeroPoint.type)));
  }
  return { inputs, attributes: { K: q.K, N: q.N, bits: q.bits, block_size: q.blockSize }, sqnrDb };
}

function _fromScales(data: Float32Array | Uint16Array, dims: readonly number[]) {
  return data instanceof Float32Array
    ? fromArray(data, { dims })
    : fromArray(data, { dims, dataType: DataType.FLOAT16 });
}

const _CODE_TYPES: Record<string, number> = {
  int4: DataType.INT4,
  uint4: DataType.UINT4,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
};

/** A tensor whose raw_data is `bytes` as they are: codes already packed (int4 two per byte, low nibble first). */
function _packedCodes(bytes: Uint8Array, dims: readonly number[], type: string): TensorProto {
  const dataType = _CODE_TYPES[type];
  if (dataType === undefined) throw new Error(`quantizeMatMulNBits: unexpected code type ${_show(type)}`);
  return create(TensorProtoSchema, { dataType, dims: dims.map(BigInt), rawData: bytes });
}

function _tensor(
  name: string,
  data: Float32Array,
  dims: readonly number[],
  scaleType: "float32" | "float16",
) {
  const t =
    scaleType === "float32" ? fromArray(data, { dims }) : _fromScales(float16.encodeArray(data), dims);
  t.name = name;
  return t;
}

/** SQNR in dB of `approx` against `ref`: 10 log10(sum ref^2 / sum (ref - approx)^2). */
function _sqnrDb(ref: Float32Array, approx: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const d = r - approx[i]!;
    signal += r * r;
    noise += d * d;
  }
  return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
}

function _importMicrosoftDomain(model: ModelProto): void {
  if (!model.opsetImport.some((x) => x.domain === "com.microsoft"))
    model.opsetImport.push(makeOpsetId("com.microsoft", 1));
}
