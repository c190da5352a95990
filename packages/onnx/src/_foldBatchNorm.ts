// Conv + BatchNormalization -> Conv, as ONNX Runtime's optimizer does before quantization (its
// quant_pre_process): the BN's per-channel affine map goes into the weights and bias, so that the
// quantized Conv's output needs no float BN after it (which would block QLinearConv fusion).
import { _show } from "./_errors";
import type { ModelProto, NodeProto } from "./_gen/onnx_pb";
import { type _Constant, _floatAttr, _scopes } from "./_quantGraph";
import { _floatWeight, _floatWeightView, _tensor } from "./_rewrite";
import type { NameScope } from "./createNameScope";
import type { NodeReport } from "./quantizationReport";

/** Folds every BatchNormalization whose only input is a Conv with constant weights into that Conv, in place. */
export function _foldBatchNorm(model: ModelProto, names: NameScope, replaced: Set<_Constant>): NodeReport[] {
  const folded: NodeReport[] = [];
  for (const scope of _scopes(model)) {
    const g = scope.graph;
    const readers = new Map<string, number>();
    for (const n of g.node) for (const i of n.input) readers.set(i, (readers.get(i) ?? 0) + 1);
    for (const s of _scopes(model))
      if (s.parent !== null)
        for (const n of s.graph.node) for (const i of n.input) readers.set(i, (readers.get(i) ?? 0) + 1);
    const outputs = new Set(g.output.map((o) => o.name));
    const producer = new Map<string, NodeProto>();
    for (const n of g.node) for (const o of n.output) producer.set(o, n);
    const drop = new Set<NodeProto>();
    for (const bn of g.node) {
      if (bn.opType !== "BatchNormalization" || bn.domain !== "" || bn.output.length !== 1) continue;
      const x = bn.input[0]!;
      const conv = producer.get(x);
      if (
        conv === undefined ||
        conv.opType !== "Conv" ||
        conv.domain !== "" ||
        readers.get(x) !== 1 ||
        outputs.has(x)
      )
        continue;
      // The BN parameters and the bias are read in place; the weight's values are a new array (scaled below).
      const params = [1, 2, 3, 4].map((k) => _floatWeightView(scope, bn.input[k]!));
      const b = conv.input[2] ? _floatWeightView(scope, conv.input[2]) : null;
      if (typeof b === "string" || params.some((p) => typeof p === "string")) continue;
      const w = _floatWeight(scope, conv.input[1]!);
      if (typeof w === "string") continue;
      const [gamma, beta, mean, variance] = params as Exclude<(typeof params)[number], string>[];
      const m = w.dims[0]!;
      if ([gamma, beta, mean, variance].some((p) => p!.values.length !== m)) continue;
      const eps = _floatAttr(bn, "epsilon", 1e-5);
      const wNew = w.values;
      const bNew = new Float32Array(m);
      for (let c = 0; c < m; c++) {
        const k = gamma!.values[c]! / Math.sqrt(variance!.values[c]! + eps);
        _scaleRow(wNew, c, k, m);
        bNew[c] = ((b === null ? 0 : b.values[c]!) - mean!.values[c]!) * k + beta!.values[c]!;
      }
      const wName = names.unique(`${conv.input[1]}_bn_folded`);
      const bName = names.unique(`${conv.name || x}_bias_bn_folded`);
      g.initializer.push(_tensor(wName, wNew, w.dims), _tensor(bName, bNew, [m]));
      conv.input[1] = wName;
      conv.input[2] = bName;
      conv.output[0] = bn.output[0]!;
      drop.add(bn);
      for (const c of [w, b, ...params]) if (c !== null && typeof c !== "string") replaced.add(c.constant);
      folded.push({
        name: bn.name || `BatchNormalization ${_show(x)}`,
        opType: "BatchNormalization",
        graph: scope.path,
        quantized: false,
        detail: `folded into Conv ${_show(conv.name)} before quantization`,
      });
    }
    if (drop.size > 0) g.node = g.node.filter((n) => !drop.has(n));
  }
  return folded;
}

/**
 * Multiplies row `c` of a weight of `m` rows (output channels) by `k`, in place. A function of its own so
 * that V8 optimizes it after a few rows: the same loop inside _foldBatchNorm ran interpreted until that
 * large function's optimization finished and allocated a heap number per product (about 11 MB for the
 * PP-OCRv4 recogniser, measured with V8's sampling heap profiler).
 */
function _scaleRow(w: Float32Array, c: number, k: number, m: number): void {
  const inner = w.length / m;
  for (let i = c * inner; i < (c + 1) * inner; i++) w[i] = w[i]! * k;
}
