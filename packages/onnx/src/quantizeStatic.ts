import { _encodedSize } from "./_encodeMessage";
import { _show } from "./_errors";
import { _Float32Scratch } from "./_float32View";
import { _foldBatchNorm } from "./_foldBatchNorm";
import { type GraphProto, type ModelProto, ModelProtoSchema, type NodeProto } from "./_gen/onnx_pb";
import { _inferElemTypes, type _TypeScope } from "./_inferElemTypes";
import type { _Plan } from "./_qdqLayout";
import {
  _absorbable,
  _absorbedQuantize,
  _kind,
  _notFloat,
  _ortQuantizesConv,
  _outName,
  _prune,
} from "./_qdqLayout";
import { _bias, type _Ctx, _constantInput, _plan, _qdq, _qdqLike, _weight } from "./_qdqNodes";
import { type _Constant, _cloneSharingBytes, _opset, _scopes } from "./_quantGraph";
import { _checkOpset, _dropUnused, _isDepthwise, _notQuantizedReason, _report } from "./_rewrite";
import { calibrate } from "./calibrate";
import { consumers } from "./consumers";
import { createNameScope } from "./createNameScope";
import { evaluateQuantization } from "./evaluateQuantization";
import type { EngineFeeds } from "./InferenceEngine";
import type { NodeReport } from "./quantizationReport";
import type { QuantizeResult } from "./quantizeDynamic";
import { _parseStaticOptions, type QuantizeStaticOptions } from "./quantizeStaticOptions";
import { upgradeOpset } from "./upgradeOpset";

/**
 * `int8`, ONNX Runtime's static quantization in QDQ format: QuantizeLinear / DequantizeLinear pairs on
 * activations with ranges calibrated through `options.engine` (see {@link calibrate}), weights stored as
 * 8-bit codes with a DequantizeLinear (per channel by default, symmetric; codes equal ONNX's QuantizeLinear
 * of the float32 weights), biases as int32 with scale s_in * s_w and zero point 0. Around them, the op
 * types of `opTypes` that onnxruntime fuses into QLinear kernels (pools, Sigmoid, Concat, data movers by
 * default; see {@link INT8_DEFAULT_OP_TYPES}) are quantized where a quantized node feeds them and only
 * quantized nodes read them. A Relu, a Clip, or a Mul / Div by a positive scalar that alone reads a
 * quantized output is removed: that output's QuantizeLinear writes the codes of its result.
 * `depthwise: "float"` or `"weights"` keeps depthwise Convs out of QDQ (onnxruntime-web's quantized
 * depthwise kernel has no SIMD loop). Every other node stays float and the report says why; with
 * `evaluate` (default) the report has the SQNR of each quantized node's output and of each model output
 * against the float model on the calibration samples. Opset below 10 is refused; 10..12 is
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
  const o = _parseStaticOptions(options);
  const { perChannel, fuseRelu, foldBatchNorm, upgrade, evaluate, weightType, activationType } = o;
  const { method, opTypes, exclude, depthwise } = o;
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
  const kept = new Map<NodeProto, _Plan>(); // depthwise Convs that options.depthwise keeps float
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
      const keep = depthwise !== "qdq" && _isDepthwise(node, scope);
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
          if (!keep) fused.set(r[0]!, node);
          out = r[0]!.output[0]!;
        }
      }
      if (keep) {
        kept.set(node, plan); // its QDQ plan, for where onnxruntime would quantize it anyway
        continue;
      }
      planned.add(_outName(plan));
      plans.set(node, plan);
    }
    _prune(scope.graph.node, plans, fused, reasons, readers, outputs);
  }
  for (const plan of [...plans.values(), ...kept.values()]) {
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
  const scratch = new _Float32Scratch();
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
      scratch,
    };
    const readersOf = consumers(scope.graph); // before the rewrite renames inputs
    const ortQuantizes = new Set<NodeProto>();
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
      const keptPlan = kept.get(node);
      if (keptPlan !== undefined) {
        const quantizes = (r: NodeProto, t: string) => {
          const p = plans.get(r);
          return p !== undefined && p.kind !== "passthrough" && p.activations.some((i) => r.input[i] === t);
        };
        if (_ortQuantizesConv(node, readersOf, quantizedTensors.has(node.input[0]!), quantizes)) {
          plans.set(node, keptPlan); // written QDQ below, per channel, rather than per tensor by onnxruntime
          ortQuantizes.add(node);
          for (const f of keptPlan.followers) fused.set(f, node);
        } else {
          out.push(node);
          if (depthwise === "float") {
            nodes.push(_report(node, index, scope, false, "depthwise Conv kept float by options.depthwise"));
            return;
          }
          _weight(node, keptPlan, ctx);
          const w = `${weightType} weights ${perChannel ? "per channel (axis 0)" : "per tensor"}`;
          nodes.push(
            _report(node, index, scope, true, `${w} + DequantizeLinear, float Conv (options.depthwise)`),
          );
          return;
        }
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
        ortQuantizes.has(node) ? _ORT_QUANTIZES : "",
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

const _ORT_QUANTIZES =
  " despite options.depthwise: a quantized node's output feeds it and its output reaches a quantized" +
  " node through Relu / Clip only, so onnxruntime would quantize it itself (per tensor)";
