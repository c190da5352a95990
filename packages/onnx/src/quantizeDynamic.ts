import { _dynamicLstm, type _LstmContext } from "./_dynamicLstm";
import { _encodedSize } from "./_encodeMessage";
import { _checkOptions, _show } from "./_errors";
import { _Float32Scratch } from "./_float32View";
import { _foldBatchNorm } from "./_foldBatchNorm";
import { type ModelProto, ModelProtoSchema, type NodeProto } from "./_gen/onnx_pb";
import {
  _attr,
  type _Constant,
  _cloneSharingBytes,
  _floatAttr,
  _intAttr,
  _node,
  type _Scope,
  _scopes,
} from "./_quantGraph";
import {
  _addInitializer,
  _checkOpset,
  _dropUnused,
  _floatWeightView,
  _isDepthwise,
  _isFloatConstant,
  _notQuantizedReason,
  _report,
  _stringList,
} from "./_rewrite";
import { _quantizeWeight, type _WeightType } from "./_weights";
import { createNameScope, type NameScope } from "./createNameScope";
import { makeOpsetId } from "./makeModel";
import type { NodeReport, QuantizationReport } from "./quantizationReport";

/** Options of {@link quantizeDynamic}. */
export interface QuantizeDynamicOptions {
  /** One weight scale per output channel (Conv) or column (MatMul, Gemm). Default true. */
  perChannel?: boolean;
  /**
   * Weights of MatMul and Gemm: "uint8" (default: exact on every x86 CPU; onnxruntime's uint8 x int8
   * MatMulInteger saturates pairs of products on CPUs without AVX-512 VNNI) or "int8" (faster there).
   */
  weightType?: _WeightType;
  /**
   * Weights of Conv: "uint8" (default: the ConvInteger older onnxruntime-web releases, 1.18, have; exact
   * everywhere) or "int8" (onnxruntime-node 1.30 and onnxruntime-web 1.31 run it too, slower here).
   */
  convWeightType?: _WeightType;
  /**
   * How Convs are written: "integer" (default: DynamicQuantizeLinear + ConvInteger, what ONNX Runtime's
   * quantize_dynamic and transformers.js write) or "weights" (8-bit weights + DequantizeLinear, float
   * Conv: as small, and as fast as the float model where ConvInteger is slower, e.g. onnxruntime-node).
   */
  convs?: "integer" | "weights";
  /**
   * Depthwise Convs (one input and one output channel per group): "float" (kept float; the default with
   * `convs: "integer"`), "weights" (8-bit weights + DequantizeLinear; the default with `convs: "weights"`)
   * or "integer" (ConvInteger, what ONNX Runtime's quantize_dynamic writes). ConvInteger runs a depthwise
   * Conv as one small GEMM per channel, slower than the float Conv in onnxruntime-web and onnxruntime-node,
   * and its run-time activation scale costs accuracy; its weights are few (the PP-OCRv4 recogniser's q8
   * file grows 6.5%, reads 99.2% of lines as the float model against 96.6%: README).
   */
  depthwise?: "integer" | "float" | "weights";
  /**
   * Op types to quantize; default ["MatMul", "Gemm", "Conv", "LSTM"]. LSTM becomes ONNX Runtime's contrib op
   * com.microsoft.DynamicQuantizeLSTM (as its quantize_dynamic writes it; onnxruntime-node and -web run it).
   */
  opTypes?: readonly string[];
  /** Names of nodes to keep float. */
  exclude?: readonly string[];
  /** Fold BatchNormalization into the Conv before it first (as onnxruntime's pre-processing does). Default true. */
  foldBatchNorm?: boolean;
}

/** A quantized model and what was done. */
export interface QuantizeResult {
  model: ModelProto;
  report: QuantizationReport;
}

const _Q8_OPS = ["MatMul", "Gemm", "Conv", "LSTM"] as const;

/**
 * `q8`, ONNX Runtime's dynamic quantization: weights quantized offline (symmetric, per channel by
 * default, codes equal to ONNX's QuantizeLinear of the float32 weights), activations at run time.
 * MatMul becomes DynamicQuantizeLinear + MatMulInteger + Cast + a scale Mul; Gemm the same (transB
 * folded into the stored weight, alpha into the scale, beta * C into the added bias); Conv becomes
 * ConvInteger with its bias added after the scale (depthwise Convs stay float unless `depthwise` says
 * otherwise: see {@link QuantizeDynamicOptions.depthwise}); LSTM becomes com.microsoft.DynamicQuantizeLSTM
 * (W and R per gate row, stored transposed as that op reads them). Weights are found in initializers and Constant nodes,
 * in the main graph and in every subgraph (If branches, Loop and Scan bodies). Other nodes stay float and
 * the report says why. Needs opset 11 (DynamicQuantizeLinear): older models go through `upgradeOpset`.
 * The input model is not modified.
 *
 * @example
 * ```ts
 * import { quantizeDynamic, readModel, writeModel } from "@quantkit/onnx";
 * const { model, report } = quantizeDynamic(readModel(bytes));
 * report.sizeBytesAfter / report.sizeBytesBefore; // about 0.27 for a model of Conv and MatMul weights
 * writeModel(model);
 * ```
 */
export function quantizeDynamic(model: ModelProto, options?: QuantizeDynamicOptions): QuantizeResult {
  const fn = "quantizeDynamic";
  _checkOptions(fn, options, [
    "perChannel",
    "weightType",
    "convWeightType",
    "convs",
    "depthwise",
    "opTypes",
    "exclude",
    "foldBatchNorm",
  ]);
  const perChannel = options?.perChannel ?? true;
  if (typeof perChannel !== "boolean")
    throw new TypeError(`${fn}: perChannel must be a boolean, got ${_show(perChannel)}`);
  const weightType = _weightType(options?.weightType, "weightType", fn);
  const convWeightType = _weightType(options?.convWeightType, "convWeightType", fn);
  const convs = options?.convs ?? "integer";
  if (convs !== "integer" && convs !== "weights")
    throw new TypeError(`${fn}: convs must be "integer" or "weights", got ${_show(convs)}`);
  const depthwise = options?.depthwise;
  if (depthwise !== undefined && depthwise !== "integer" && depthwise !== "float" && depthwise !== "weights")
    throw new TypeError(`${fn}: depthwise must be "integer", "float" or "weights", got ${_show(depthwise)}`);
  const opTypes = _stringList(options?.opTypes, "opTypes", fn) ?? _Q8_OPS;
  for (const t of opTypes) {
    if (!(_Q8_OPS as readonly string[]).includes(t))
      throw new RangeError(
        `${fn}: opTypes: q8 cannot quantize ${_show(t)} (it quantizes ${_Q8_OPS.join(", ")})`,
      );
  }
  const exclude = new Set(_stringList(options?.exclude, "exclude", fn) ?? []);
  const opset = _checkOpset(model, 11, fn, "DynamicQuantizeLinear needs 11");
  const sizeBytesBefore = _encodedSize(ModelProtoSchema, model);
  const depthwiseLayout = depthwise ?? (convs === "integer" ? "float" : convs);
  const layout = (node: NodeProto, scope: _Scope) => (_isDepthwise(node, scope) ? depthwiseLayout : convs);

  const copy = _cloneSharingBytes(model);
  const names = createNameScope(copy);
  const replaced = new Set<_Constant>();
  const scratch = new _Float32Scratch();
  const lstmWeights: _LstmContext["lstmWeights"] = new Map();
  const nodes: NodeReport[] = options?.foldBatchNorm === false ? [] : _foldBatchNorm(copy, names, replaced);
  for (const scope of _scopes(copy)) {
    const out: NodeProto[] = [];
    const dynamic = new Map<string, [string, string, string]>();
    const rows = new Map<NodeProto, NodeReport>();
    scope.graph.node.forEach((node, index) => {
      if (node.opType === "Constant" && node.domain === "") {
        out.push(node);
        return;
      }
      let detail: string;
      let quantized = false;
      if (!(opTypes as readonly string[]).includes(node.opType) || node.domain !== "") {
        detail = _notQuantizedReason(node, "q8", opTypes);
      } else if (exclude.has(node.name)) {
        detail = "excluded by options.exclude";
      } else if (layout(node, scope) === "float") {
        detail =
          depthwise === undefined
            ? 'depthwise Conv kept float (ConvInteger is slower there; depthwise: "integer" quantizes it)'
            : "depthwise Conv kept float by options.depthwise";
      } else {
        const ctx: _Ctx = { scope, names, dynamic, out, replaced, perChannel, scratch, lstmWeights, rows };
        const r =
          node.opType === "LSTM"
            ? _dynamicLstm(node, ctx, weightType)
            : node.opType !== "Conv"
              ? _matmulOrGemm(node, ctx, weightType)
              : layout(node, scope) === "integer"
                ? _conv(node, ctx, convWeightType)
                : _convWeights(node, ctx, convWeightType, opset >= 13);
        quantized = r.ok;
        detail = r.detail;
      }
      if (!quantized) out.push(node);
      const row = {
        ..._report(node, index, scope, quantized, detail),
        ...(quantized ? { tensor: node.output[0]! } : {}),
      };
      rows.set(node, row);
      nodes.push(row);
    });
    scope.graph.node = out;
  }
  _dropUnused(copy, replaced);
  if (
    nodes.some((n) => n.quantized && n.opType === "LSTM") &&
    !copy.opsetImport.some((o) => o.domain === "com.microsoft")
  )
    copy.opsetImport.push(makeOpsetId("com.microsoft", 1));
  const sizeBytesAfter = _encodedSize(ModelProtoSchema, copy);
  return {
    model: copy,
    report: { mode: "q8", sizeBytesBefore, sizeBytesAfter, opsetBefore: opset, opsetAfter: opset, nodes },
  };
}

function _weightType(value: unknown, name: string, fn: string): _WeightType {
  if (value === undefined) return "uint8";
  if (value !== "int8" && value !== "uint8")
    throw new TypeError(`${fn}: ${name} must be "int8" or "uint8", got ${_show(value)}`);
  return value;
}

interface _Ctx {
  scope: _Scope;
  names: NameScope;
  /** DynamicQuantizeLinear outputs per float input of this graph: [codes, scale, zeroPoint]. */
  dynamic: Map<string, [string, string, string]>;
  out: NodeProto[];
  replaced: Set<_Constant>;
  perChannel: boolean;
  /** Where unaligned weights are copied to be quantized (read once, never kept). */
  scratch: _Float32Scratch;
  /** LSTM weights quantized so far, and the report rows of this graph's nodes (see _dynamicLstm). */
  lstmWeights: _LstmContext["lstmWeights"];
  rows: Map<NodeProto, { detail: string }>;
}

/** The DynamicQuantizeLinear of activation `x` in this graph, added before its first use. */
function _dynamicQuantize(x: string, ctx: _Ctx): [string, string, string] {
  let q = ctx.dynamic.get(x);
  if (q === undefined) {
    const base = ctx.names.unique(`${x}_dq`);
    q = [
      ctx.names.unique(`${x}_quantized`),
      ctx.names.unique(`${x}_scale`),
      ctx.names.unique(`${x}_zero_point`),
    ];
    ctx.out.push(_node("DynamicQuantizeLinear", [x], q, base));
    ctx.dynamic.set(x, q);
  }
  return q;
}

function _addInit(
  ctx: _Ctx,
  base: string,
  data: Float32Array | Int8Array | Uint8Array,
  dims: readonly number[],
): string {
  return _addInitializer(ctx.names, ctx.scope, base, data, dims);
}

/** MatMul(A, B) and Gemm(A, B, C) with a constant 2-D B. */
function _matmulOrGemm(node: NodeProto, ctx: _Ctx, type: _WeightType): { ok: boolean; detail: string } {
  const gemm = node.opType === "Gemm";
  if (gemm && _intAttr(node, "transA", 0) !== 0)
    return { ok: false, detail: "Gemm with transA = 1 stays float" };
  const [a, b] = node.input;
  const w = _floatWeightView(ctx.scope, b!, ctx.scratch);
  if (typeof w === "string") return { ok: false, detail: `weight ${w}` };
  if (w.dims.length !== 2)
    return { ok: false, detail: `weight ${_show(b)} has rank ${w.dims.length}; q8 quantizes 2-D weights` };
  if (_findConstantInput(ctx, a!))
    return { ok: false, detail: "input A is a constant: nothing to quantize at run time" };
  const transB = gemm && _intAttr(node, "transB", 0) !== 0;
  let [k, n] = w.dims as [number, number];
  let values = w.values;
  if (transB) {
    [k, n] = [n, k];
    values = new Float32Array(k * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) values[j * n + i] = w.values[i * k + j]!;
  }
  const where = `${node.opType} ${_show(node.name)} weight ${_show(b)}`;
  const qw = _quantizeWeight(values, [k, n], ctx.perChannel ? 1 : null, type, where);
  const alpha = gemm ? _floatAttr(node, "alpha", 1) : 1;
  const scale = alpha === 1 ? qw.scale : qw.scale.map((s) => s * alpha);
  const base = node.name || node.output[0]!;
  const bq = _addInit(ctx, `${b}_quantized`, qw.codes, [k, n]);
  const bs = _addInit(ctx, `${b}_scale`, scale, ctx.perChannel ? [n] : []);
  const bz = _addInit(ctx, `${b}_zero_point`, type === "int8" ? Int8Array.of(0) : Uint8Array.of(128), []);
  const [aq, as, az] = _dynamicQuantize(a!, ctx);
  const acc = ctx.names.unique(`${base}_int32`);
  const accF = ctx.names.unique(`${base}_int32_float`);
  const s = ctx.names.unique(`${base}_scale`);
  const c = gemm ? node.input[2] : undefined;
  const y = node.output[0]!;
  const scaled = c ? ctx.names.unique(`${base}_scaled`) : y;
  ctx.out.push(
    _node("MatMulInteger", [aq, bq, az, bz], [acc], ctx.names.unique(`${base}_quant`)),
    _node("Cast", [acc], [accF], ctx.names.unique(`${base}_cast`), [_attr("to", 1)]),
    _node("Mul", [as, bs], [s], ctx.names.unique(`${base}_scale_mul`)),
    _node("Mul", [accF, s], [scaled], ctx.names.unique(`${base}_output_mul`)),
  );
  if (c) {
    const beta = _floatAttr(node, "beta", 1);
    let bias = c;
    if (beta !== 1) {
      const cw = _floatWeightView(ctx.scope, c);
      if (typeof cw !== "string") {
        bias = _addInit(
          ctx,
          `${c}_beta`,
          cw.values.map((v) => v * beta),
          cw.dims,
        );
        ctx.replaced.add(cw.constant);
      } else {
        bias = ctx.names.unique(`${c}_beta`);
        const betaInit = _addInit(ctx, `${base}_beta`, Float32Array.of(beta), []);
        ctx.out.push(_node("Mul", [c, betaInit], [bias], bias));
      }
    }
    ctx.out.push(_node("Add", [scaled, bias], [y], ctx.names.unique(`${base}_bias_add`)));
  }
  ctx.replaced.add(w.constant);
  return {
    ok: true,
    detail: `MatMulInteger (${type} weights, ${ctx.perChannel ? "per column" : "per tensor"})`,
  };
}

function _findConstantInput(ctx: _Ctx, name: string): boolean {
  return _isFloatConstant(ctx.scope, name);
}

/**
 * Conv(X, W, B) with W stored as 8-bit codes and a DequantizeLinear in front (per channel from opset 13):
 * the file is as small as with ConvInteger, and onnxruntime computes the Conv in float (its constant
 * folding turns the DequantizeLinear of a constant into the float weight at load time).
 */
function _convWeights(
  node: NodeProto,
  ctx: _Ctx,
  type: _WeightType,
  perAxis: boolean,
): { ok: boolean; detail: string } {
  const wName = node.input[1]!;
  const w = _floatWeightView(ctx.scope, wName, ctx.scratch);
  if (typeof w === "string") return { ok: false, detail: `weight ${w}` };
  const perChannel = ctx.perChannel && perAxis;
  const where = `Conv ${_show(node.name)} weight ${_show(wName)}`;
  const qw = _quantizeWeight(w.values, w.dims, perChannel ? 0 : null, type, where);
  const cd = perChannel ? [w.dims[0]!] : [];
  const zps = type === "int8" ? new Int8Array(cd[0] ?? 1) : new Uint8Array(cd[0] ?? 1).fill(128);
  const q = _addInit(ctx, `${wName}_quantized`, qw.codes, w.dims);
  const s = _addInit(ctx, `${wName}_scale`, qw.scale, cd);
  const z = _addInit(ctx, `${wName}_zero_point`, zps, cd);
  const dq = ctx.names.unique(`${wName}_dq`);
  ctx.out.push(_node("DequantizeLinear", [q, s, z], [dq], dq, perChannel ? [_attr("axis", 0)] : []));
  node.input[1] = dq;
  ctx.out.push(node);
  ctx.replaced.add(w.constant);
  return {
    ok: true,
    detail: `DequantizeLinear weights (${type}, ${perChannel ? "per output channel" : "per tensor"}), float Conv`,
  };
}

/** Conv(X, W, B) with constant W (and B, when present). */
function _conv(node: NodeProto, ctx: _Ctx, type: _WeightType): { ok: boolean; detail: string } {
  const [x, wName, bName] = node.input;
  const w = _floatWeightView(ctx.scope, wName!, ctx.scratch);
  if (typeof w === "string") return { ok: false, detail: `weight ${w}` };
  if (w.dims.length < 3)
    return {
      ok: false,
      detail: `weight ${_show(wName)} has rank ${w.dims.length}; Conv weights have rank >= 3`,
    };
  const bias = bName ? _floatWeightView(ctx.scope, bName) : null;
  if (typeof bias === "string") return { ok: false, detail: `bias ${bias}` };
  const where = `Conv ${_show(node.name)} weight ${_show(wName)}`;
  const qw = _quantizeWeight(w.values, w.dims, ctx.perChannel ? 0 : null, type, where);
  const m = w.dims[0]!;
  const channelDims = [m, ...w.dims.slice(2).map(() => 1)];
  const base = node.name || node.output[0]!;
  const wq = _addInit(ctx, `${wName}_quantized`, qw.codes, w.dims);
  const ws = _addInit(ctx, `${wName}_scale`, qw.scale, ctx.perChannel ? channelDims : []);
  const wz = _addInit(ctx, `${wName}_zero_point`, type === "int8" ? Int8Array.of(0) : Uint8Array.of(128), []);
  const [xq, xs, xz] = _dynamicQuantize(x!, ctx);
  const acc = ctx.names.unique(`${base}_int32`);
  const accF = ctx.names.unique(`${base}_int32_float`);
  const s = ctx.names.unique(`${base}_scale`);
  const y = node.output[0]!;
  const scaled = bias ? ctx.names.unique(`${base}_scaled`) : y;
  const attrs = node.attribute.filter((a) =>
    ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"].includes(a.name),
  );
  ctx.out.push(
    _node("ConvInteger", [xq, wq, xz, wz], [acc], ctx.names.unique(`${base}_quant`), attrs),
    _node("Cast", [acc], [accF], ctx.names.unique(`${base}_cast`), [_attr("to", 1)]),
    _node("Mul", [xs, ws], [s], ctx.names.unique(`${base}_scale_mul`)),
    _node("Mul", [accF, s], [scaled], ctx.names.unique(`${base}_output_mul`)),
  );
  if (bias) {
    const b = _addInit(ctx, `${bName}_reshaped`, bias.values, channelDims);
    ctx.out.push(_node("Add", [scaled, b], [y], ctx.names.unique(`${base}_bias_add`)));
    ctx.replaced.add(bias.constant);
  }
  ctx.replaced.add(w.constant);
  return {
    ok: true,
    detail: `ConvInteger (${type} weights, ${ctx.perChannel ? "per output channel" : "per tensor"})`,
  };
}
