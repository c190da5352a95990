import type { AnyObserverOptions } from "@quantkit/calibrators";
import { _encodedSize } from "./_encodeMessage";
import { _checkOptions, _show } from "./_errors";
import { _foldBatchNorm } from "./_foldBatchNorm";
import { type GraphProto, type ModelProto, ModelProtoSchema, type NodeProto } from "./_gen/onnx_pb";
import { _inferElemTypes, type _TypeScope } from "./_inferElemTypes";
import type { _Plan } from "./_qdqLayout";
import { _absorbable, _absorbedQuantize, _kind, _notFloat, _outName, _prune } from "./_qdqLayout";
import { _bias, type _Ctx, _constantInput, _plan, _qdq, _qdqLike, _weight } from "./_qdqNodes";
import { type _Constant, _cloneSharingBytes, _opset, _scopes } from "./_quantGraph";
import { _checkOpset, _dropUnused, _notQuantizedReason, _report, _stringList } from "./_rewrite";
import type { _WeightType } from "./_weights";
import { CALIBRATION_METHODS, type CalibrationMethod, type CalibrationResult, calibrate } from "./calibrate";
import { createNameScope } from "./createNameScope";
import { evaluateQuantization } from "./evaluateQuantization";
import type { EngineFeeds, InferenceEngine } from "./InferenceEngine";
import { INT8_DEFAULT_OP_TYPES, INT8_OP_TYPES } from "./int8OpTypes";
import type { NodeReport } from "./quantizationReport";
import type { QuantizeResult } from "./quantizeDynamic";
import { upgradeOpset } from "./upgradeOpset";

/** Options of {@link quantizeStatic}. */
export interface QuantizeStaticOptions {
  /** Runs the model for calibration and the SQNR report, e.g. `ortEngine(ort)`. */
  engine: InferenceEngine;
  /** Calibration inputs, one object of named tensors per run. */
  samples: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>;
  /** The activation observer (see {@link calibrate}); default "minmax". */
  method?: CalibrationMethod;
  /** Options of that observer (`percentile`, `bins`...); dtype and qscheme follow `activationType`. */
  observerOptions?: AnyObserverOptions;
  /** One weight scale per output channel (Conv axis 0, MatMul axis 1, Gemm by transB). Default true; needs opset 13. */
  perChannel?: boolean;
  /** "uint8" (default: zero point 128; uint8 x uint8 is exact on every x86 CPU) or "int8" (zero point 0). */
  weightType?: _WeightType;
  /** "uint8" (default, asymmetric) or "int8" (asymmetric) activations. */
  activationType?: "uint8" | "int8";
  /**
   * Op types to write in QDQ, among those onnxruntime's CPU provider fuses into QLinear* kernels. Default:
   * Conv, MatMul, Gemm, AveragePool, GlobalAveragePool, LeakyRelu, Sigmoid, Concat and the data movers
   * MaxPool, Resize, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Slice, Gather, Expand, Tile (with
   * their input's scale and zero point). On request Add and Mul (QLinearAdd / QLinearMul: faster where
   * elementwise chains sit between Convs, e.g. hard-swish, but each is one more requantization) and
   * Softmax. Only weighted nodes start a quantized region; ["Conv", "MatMul", "Gemm"] quantizes only them.
   */
  opTypes?: readonly string[];
  /** Names of nodes to keep float. */
  exclude?: readonly string[];
  /** Fold BatchNormalization into the Conv before it first (as onnxruntime's pre-processing does). Default true. */
  foldBatchNorm?: boolean;
  /**
   * Fold into a quantized output's quantization the node that alone reads it, repeatedly: a Relu, a Clip
   * with constant bounds min <= 0 <= max, a Div or Mul by a positive scalar constant. Default true.
   */
  fuseRelu?: boolean;
  /** Upgrade opset 10..12 models to 13 (needed for per-channel weights). Default true. */
  upgrade?: boolean;
  /**
   * Ranges found earlier by {@link calibrate} on this model (every tensor, or at least those this
   * quantization needs), reused instead of calibrating again; `samples` then only feed `evaluate`. The
   * observer that made them decides the activations' scales, so `method` and `observerOptions` are not used.
   */
  calibration?: CalibrationResult;
  /** Measure per-node and output SQNR against the float model on the samples. Default true. */
  evaluate?: boolean;
  onProgress?: (samplesDone: number) => void;
  signal?: AbortSignal;
}

/**
 * `int8`, ONNX Runtime's static quantization in QDQ format: QuantizeLinear / DequantizeLinear pairs on
 * activations with ranges calibrated through `options.engine` (see {@link calibrate}), weights stored as
 * 8-bit codes with a DequantizeLinear (per channel by default, symmetric; codes equal ONNX's QuantizeLinear
 * of the float32 weights), biases as int32 with scale s_in * s_w and zero point 0. Around them, the op
 * types of `opTypes` that onnxruntime fuses into QLinear kernels (pools, Sigmoid, Concat, data movers by
 * default; see {@link INT8_DEFAULT_OP_TYPES}) are quantized where a quantized node feeds them and only
 * quantized nodes read them. A Relu, a Clip, or a Mul / Div by a positive scalar that alone reads a
 * quantized output is removed: that output's QuantizeLinear writes the codes of its result. Every other
 * node stays float and the report says why; with `evaluate` (default) the report has the SQNR of each quantized node's output and of each model
 * output against the float model on the calibration samples. Opset below 10 is refused; 10..12 is
 * upgraded to 13 for per-channel weights. The input model is not modified.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * import { ortEngine, quantizeStatic, readModel, writeModel } from "@quantkit/onnx";
 * const { model, report } = await quantizeStatic(readModel(bytes), { engine: ortEngine(ort), samples });
 * report.nodes.filter((n) => n.quantized).map((n) => n.opType); // e.g. ["Conv", "MaxPool", "Flatten", "Gemm"]
 * writeModel(model);
 * ```
 */
export async function quantizeStatic(
  model: ModelProto,
  options: QuantizeStaticOptions,
): Promise<QuantizeResult> {
  const fn = "quantizeStatic";
  _checkOptions(fn, options, [
    "engine",
    "samples",
    "method",
    "observerOptions",
    "perChannel",
    "weightType",
    "activationType",
    "opTypes",
    "exclude",
    "fuseRelu",
    "foldBatchNorm",
    "upgrade",
    "evaluate",
    "calibration",
    "onProgress",
    "signal",
  ]);
  if (options === undefined) throw new TypeError(`${fn}: options with engine and samples are required`);
  const perChannel = _bool(options.perChannel, true, "perChannel", fn);
  const fuseRelu = _bool(options.fuseRelu, true, "fuseRelu", fn);
  const foldBatchNorm = _bool(options.foldBatchNorm, true, "foldBatchNorm", fn);
  const upgrade = _bool(options.upgrade, true, "upgrade", fn);
  const evaluate = _bool(options.evaluate, true, "evaluate", fn);
  const weightType = options.weightType ?? "uint8";
  if (weightType !== "uint8" && weightType !== "int8")
    throw new TypeError(`${fn}: weightType must be "int8" or "uint8", got ${_show(weightType)}`);
  const activationType = options.activationType ?? "uint8";
  if (activationType !== "uint8" && activationType !== "int8") {
    throw new TypeError(`${fn}: activationType must be "int8" or "uint8", got ${_show(activationType)}`);
  }
  const method = options.method ?? "minmax";
  if (!CALIBRATION_METHODS.includes(method))
    throw new TypeError(
      `${fn}: method must be one of ${CALIBRATION_METHODS.join(", ")}; got ${_show(method)}`,
    );
  const opTypes = _stringList(options.opTypes, "opTypes", fn) ?? INT8_DEFAULT_OP_TYPES;
  for (const t of opTypes) {
    if (!INT8_OP_TYPES.includes(t))
      throw new RangeError(
        `${fn}: opTypes: int8 cannot quantize ${_show(t)} (it quantizes ${INT8_OP_TYPES.join(", ")})`,
      );
  }
  const exclude = new Set(_stringList(options.exclude, "exclude", fn) ?? []);
  if (options.calibration !== undefined && !(options.calibration?.ranges instanceof Map))
    throw new TypeError(
      `${fn}: calibration must be what calibrate() returns, got ${_show(options.calibration)}`,
    );
  const opsetBefore = _checkOpset(model, 10, fn, "QuantizeLinear");
  const samples: EngineFeeds[] = [];
  for await (const s of options.samples as AsyncIterable<EngineFeeds>) samples.push(s);

  const sizeBytesBefore = _encodedSize(ModelProtoSchema, model);
  let copy = _cloneSharingBytes(model);
  if (perChannel && opsetBefore < 13) {
    if (!upgrade)
      throw new RangeError(
        `${fn}: per-channel weights need opset 13 and the model imports ${opsetBefore}; pass upgrade: true or perChannel: false`,
      );
    copy = upgradeOpset(copy, 13);
  }
  const names = createNameScope(copy);
  const replaced = new Set<_Constant>();
  const foldedBn = foldBatchNorm ? _foldBatchNorm(copy, names, replaced) : [];
  _dropUnused(copy, replaced); // the folded float weights, before calibration runs the model

  // 1. Plans: which nodes, which slots, which tensors need ranges.
  const scopes = _scopes(copy);
  const plans = new Map<NodeProto, _Plan>();
  const reasons = new Map<NodeProto, string>();
  const fused = new Map<NodeProto, NodeProto>(); // Relu, Clip... -> the node whose output absorbs it
  const tensors = new Set<string>();
  const planned = new Set<string>(); // outputs that planned nodes quantize
  const opset = _opset(copy);
  const types = new Map<GraphProto, _TypeScope>();
  _inferElemTypes(copy.graph!, undefined, types);
  for (const scope of scopes) {
    const readers = new Map<string, NodeProto[]>();
    for (const n of scope.graph.node)
      for (const i of n.input) if (i !== "") readers.set(i, [...(readers.get(i) ?? []), n]);
    const outputs = new Set(scope.graph.output.map((o) => o.name));
    for (const node of scope.graph.node) {
      if ((node.opType === "Constant" && node.domain === "") || fused.has(node)) continue;
      const kind = _kind(node.opType);
      if (!opTypes.includes(node.opType) || node.domain !== "" || kind === undefined) {
        reasons.set(node, _notQuantizedReason(node, "int8", opTypes));
        continue;
      }
      if (exclude.has(node.name)) {
        reasons.set(node, "excluded by options.exclude");
        continue;
      }
      const plan = _plan(node, scope, kind);
      const notFloat = kind === "weighted" ? undefined : _notFloat(node, types.get(scope.graph)!);
      if (notFloat !== undefined) {
        reasons.set(node, notFloat);
        continue;
      }
      if (typeof plan === "string") {
        reasons.set(node, plan);
        continue;
      }
      const data = kind === "passthrough" ? [0] : plan.activations;
      if (kind !== "weighted" && !data.some((i) => planned.has(node.input[i]!))) {
        // Only weighted nodes start a quantized region: a float Add, Mul... between float nodes would
        // cost a QuantizeLinear and a DequantizeLinear and break float fusions (LayerNormalization).
        reasons.set(node, "no input comes from a quantized node");
        continue;
      }
      if (fuseRelu && kind !== "passthrough") {
        let out = node.output[0]!;
        for (;;) {
          const r = readers.get(out) ?? [];
          if (r.length !== 1 || outputs.has(out) || exclude.has(r[0]!.name)) break;
          const step = _absorbable(r[0]!, out, scope, opset);
          if (step === null) break;
          plan.followers.push(r[0]!);
          plan.steps.push(step);
          fused.set(r[0]!, node);
          out = r[0]!.output[0]!;
        }
      }
      planned.add(_outName(plan));
      plans.set(node, plan);
    }
    _prune(scope.graph.node, plans, fused, reasons, readers, outputs);
  }
  for (const plan of plans.values()) {
    for (const i of plan.activations) tensors.add(plan.node.input[i]!);
    if (plan.kind === "passthrough") continue;
    // every step's output: the rewrite absorbs the longest run of followers that fits the codes
    for (const n of [plan.node, ...plan.followers]) tensors.add(n.output[0]!);
  }

  // 2. Ranges.
  const dtype = activationType === "uint8" ? "quint8" : "qint8";
  const { ranges, skipped } =
    options.calibration ??
    (await calibrate(copy, {
      engine: options.engine,
      samples,
      tensors: [...tensors],
      method,
      observerOptions: { ...options.observerOptions, dtype, qscheme: "per_tensor_affine" },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }));

  // 3. Rewrite.
  const quantizedTensors = new Set<string>();
  const scales = new Map<string, number>(); // DequantizeLinear output -> its scale
  const params = new Map<string, [string, string]>();
  const nodes: NodeReport[] = [...foldedBn];
  for (const scope of scopes) {
    const out: NodeProto[] = [];
    const inputQdq = new Map<string, string>();
    const ctx: _Ctx = {
      scope,
      names,
      out,
      replaced,
      weightType,
      perChannel,
      scales,
      params,
      constants: new Map(),
      activationType,
    };
    scope.graph.node.forEach((node, index) => {
      if (node.opType === "Constant" && node.domain === "") {
        out.push(node);
        return;
      }
      const into = fused.get(node);
      if (into !== undefined && plans.has(into)) {
        nodes.push({
          ..._report(
            node,
            index,
            scope,
            true,
            `fused into the output quantization of ${into.opType} ${_show(into.name)}`,
          ),
          tensor: node.output[0]!,
        });
        return; // dropped: the Q/DQ of the producer's output writes this node's output name
      }
      const plan = plans.get(node);
      if (plan === undefined) {
        out.push(node);
        nodes.push(_report(node, index, scope, false, reasons.get(node) ?? "not quantized"));
        return;
      }
      const leaveFloat = (why: string): void => {
        plans.delete(node);
        for (const f of plan.followers) fused.delete(f); // they stay
        out.push(node);
        nodes.push(_report(node, index, scope, false, why));
      };
      if (plan.kind === "passthrough") {
        const x = node.input[0]!;
        const outName = node.output[0]!;
        if (!quantizedTensors.has(x)) {
          leaveFloat(`its input ${_show(x)} is not quantized`);
          return;
        }
        const floatOut = names.unique(`${outName}_f`);
        node.output[0] = floatOut;
        out.push(node);
        _qdqLike(floatOut, outName, x, ctx);
        quantizedTensors.add(outName);
        nodes.push({
          ..._report(node, index, scope, true, "QDQ (its input's scale and zero point)"),
          tensor: outName,
        });
        return;
      }
      const need = [...plan.activations.map((i) => node.input[i]!), node.output[0]!];
      const missing = need.find((t) => !ranges.has(t) && !quantizedTensors.has(t));
      if (missing !== undefined) {
        leaveFloat(`no calibrated range for ${_show(missing)}: ${skipped.get(missing) ?? "not computed"}`);
        return;
      }
      // The longest run of followers whose output codes this QuantizeLinear can write.
      let absorbed = plan.followers.length;
      let quantize: { scale: number; zeroPoint: number } | null = null;
      for (; absorbed >= 0; absorbed--) {
        const r = ranges.get(absorbed === 0 ? node.output[0]! : plan.followers[absorbed - 1]!.output[0]!);
        if (r === undefined) continue;
        const q = r.qparams;
        quantize = _absorbedQuantize(
          plan.steps.slice(0, absorbed),
          q.scale[0]!,
          q.zeroPoint[0]!,
          q.quantMin,
          q.quantMax,
        );
        if (quantize !== null) break;
      }
      for (const f of plan.followers.slice(absorbed)) {
        fused.delete(f); // stays float
        reasons.set(f, "not absorbed: the quantization of its input cannot write its output's codes");
      }
      plan.followers = plan.followers.slice(0, absorbed);
      const outName = _outName(plan);
      for (const i of plan.activations) {
        const x = node.input[i]!;
        if (quantizedTensors.has(x)) continue;
        let dq = inputQdq.get(x);
        if (dq === undefined) {
          dq = _qdq(x, names.unique(`${x}_dq`), ranges.get(x)!, ctx);
          inputQdq.set(x, dq);
        }
        node.input[i] = dq;
      }
      for (const i of plan.constants) _constantInput(node, i, ctx);
      const inputScale = scales.get(node.input[plan.activations[0]!]!) ?? Number.NaN;
      const w = plan.weight >= 0 ? _weight(node, plan, ctx) : null;
      if (w !== null && plan.bias >= 0 && node.input[plan.bias]) _bias(node, plan, inputScale, w, ctx);
      const floatOut = names.unique(`${node.output[0]!}_f`);
      node.output[0] = floatOut;
      out.push(node);
      _qdq(floatOut, outName, ranges.get(outName)!, ctx, outName, quantize!);
      quantizedTensors.add(outName);
      const parts = [
        `QDQ (${activationType} activations`,
        w === null
          ? ""
          : `, ${weightType} weights ${perChannel ? `per channel (axis ${plan.axis})` : "per tensor"}`,
        plan.bias >= 0 && node.input[plan.bias] ? ", int32 bias" : "",
        plan.constants.length > 0 ? `, ${activationType} constant` : "",
        plan.followers.length > 0 ? `, ${plan.followers.map((f) => f.opType).join(" + ")} fused` : "",
        ")",
      ];
      nodes.push({ ..._report(node, index, scope, true, parts.join("")), tensor: outName });
    });
    scope.graph.node = out;
  }
  _dropUnused(copy, replaced);
  const report = {
    mode: "int8" as const,
    sizeBytesBefore,
    sizeBytesAfter: _encodedSize(ModelProtoSchema, copy),
    opsetBefore,
    opsetAfter: _opset(copy),
    nodes,
  };
  if (evaluate) await evaluateQuantization(model, copy, report, { engine: options.engine, samples });
  return { model: copy, report };
}

function _bool(v: unknown, fallback: boolean, name: string, fn: string): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") throw new TypeError(`${fn}: ${name} must be a boolean, got ${_show(v)}`);
  return v;
}
