// q8 of an LSTM, as ONNX Runtime's quantize_dynamic writes it (its LSTMQuant): the contrib op
// com.microsoft.DynamicQuantizeLSTM, which quantizes X and H at run time and multiplies them with 8-bit W
// and R. W [D, 4H, I] and R [D, 4H, H] are quantized per row (one scale per gate unit and direction, or
// one per direction) and stored transposed, [D, I, 4H] and [D, H, 4H], as the kernel reads them. uint8
// weights carry one zero point (128) everywhere, which the kernel requires; they run as uint8 x uint8,
// exact on every x86 CPU (int8 weights are uint8 x int8, which saturates pairs of products without VNNI).

import { _show } from "./_errors";
import { type _FoldedWeight, _foldWeightOf, _removeFolded } from "./_foldWeight";
import type { NodeProto } from "./_gen/onnx_pb";
import { type _Constant, _intAttr, _node, type _Scope } from "./_quantGraph";
import { _addInitializer, _isFloatConstant } from "./_rewrite";
import { _quantizeWeight, type _WeightType } from "./_weights";
import type { NameScope } from "./createNameScope";

/** What quantizeDynamic's graph walk lends the rewrite. */
export interface _LstmContext {
  scope: _Scope;
  names: NameScope;
  out: NodeProto[];
  replaced: Set<_Constant>;
  perChannel: boolean;
  /** W and R quantized so far in this model, by their float constants: shared by LSTMs that read the same. */
  lstmWeights: Map<string, { values: Float32Array; inputs: [string, string, string] }[]>;
  /** The report rows of the nodes seen so far in this graph: those removed here say so. */
  rows: Map<NodeProto, { detail: string }>;
}

/** LSTM -> DynamicQuantizeLSTM, or why it stays float. */
export function _dynamicLstm(
  node: NodeProto,
  ctx: _LstmContext,
  type: _WeightType,
): { ok: boolean; detail: string } {
  if (_intAttr(node, "layout", 0) !== 0)
    return {
      ok: false,
      detail: "LSTM with layout = 1 (batch first) stays float: DynamicQuantizeLSTM has no layout",
    };
  const [x, wName, rName] = node.input;
  if (x === undefined || _isFloatConstant(ctx.scope, x))
    return { ok: false, detail: "input X is a constant: nothing to quantize at run time" };
  const folded: _FoldedWeight[] = [];
  for (const name of [wName, rName]) {
    const w = _foldWeightOf(ctx.scope, ctx.out, node, name ?? "");
    if (typeof w === "string") return { ok: false, detail: `weight ${w}` };
    if (w.dims.length !== 3)
      return {
        ok: false,
        detail: `weight ${_show(name)} has rank ${w.dims.length}, not [directions, 4 x hidden, inputs]`,
      };
    folded.push(w);
  }
  const [fw, fr] = folded as [_FoldedWeight, _FoldedWeight];
  if (fr.dims[0] !== fw.dims[0] || fr.dims[1] !== fw.dims[1])
    return { ok: false, detail: `W ${_show(fw.dims)} and R ${_show(fr.dims)} do not agree` };
  const W = _quantized(ctx, node, wName!, fw, type);
  const R = _quantized(ctx, node, rName!, fr, type);
  const inputs = [x, W.inputs[0], R.inputs[0]];
  for (let i = 3; i < 8; i++) inputs.push(node.input[i] ?? "");
  inputs.push(W.inputs[1], W.inputs[2], R.inputs[1], R.inputs[2]);
  const attributes = node.attribute.filter((a) => a.name !== "layout");
  const name = ctx.names.unique(`${node.name || node.output[0] || "LSTM"}_quant`);
  const q = _node("DynamicQuantizeLSTM", inputs, [...node.output], name, attributes, "com.microsoft");
  ctx.out.push(q);
  for (const c of folded.flatMap((w) => w.constants)) ctx.replaced.add(c);
  // The nodes that computed W and R from constants (PyTorch's export of an LSTM cell) go with them.
  for (const w of folded)
    _removeFolded(w, ctx.out, ctx.rows, `the 8-bit weights of LSTM ${_show(node.name || node.output[0])}`);
  const per = ctx.perChannel ? "per gate row" : "per direction";
  const removed = folded.reduce((n, w) => n + w.nodes.length, 0);
  let via = removed > 0 ? `; W and R folded from constants through ${removed} nodes, removed` : "";
  if (W.shared || R.shared)
    via += "; the 8-bit W and R of an LSTM before it, which reads the same float weights, shared";
  return { ok: true, detail: `DynamicQuantizeLSTM (${type} W and R, ${per}${via})` };
}

/** W or R quantized and stored transposed [D, I, 4H] (codes, scale, zero point), or the same tensors of an earlier LSTM. */
function _quantized(
  ctx: _LstmContext,
  node: NodeProto,
  name: string,
  w: _FoldedWeight,
  type: _WeightType,
): { inputs: [string, string, string]; dims: number[]; shared: boolean } {
  const [D, G, I] = w.dims as [number, number, number];
  // The same float weight read by LSTMs in several subgraphs (If branches of one model, each computing its
  // own copy from one constant outside them) is stored once, where that constant lives.
  const leaves = w.constants.filter((c) => c.tensor.dataType === 1);
  const key = `${leaves.map((c) => c.tensor.name || c.node?.output[0]).join("\u0000")}|${w.dims.join(",")}|${type}|${ctx.perChannel}`;
  const earlier = ctx.lstmWeights.get(key)?.find((e) => _equal(e.values, w.values));
  if (earlier !== undefined) return { inputs: earlier.inputs, dims: [D, I, G], shared: true };
  const home =
    leaves.length > 0 && leaves.every((c) => c.scope === leaves[0]!.scope) ? leaves[0]!.scope : ctx.scope;
  const where = `LSTM ${_show(node.name)} weight ${_show(name)}`;
  const q = _quantizeWeight(w.values, ctx.perChannel ? [D * G, I] : [D, G * I], 0, type, where);
  const codes = type === "int8" ? new Int8Array(D * I * G) : new Uint8Array(D * I * G);
  for (let d = 0; d < D; d++)
    for (let g = 0; g < G; g++)
      for (let i = 0; i < I; i++) codes[(d * I + i) * G + g] = q.codes[(d * G + g) * I + i]!;
  const qdims = ctx.perChannel ? [D, G] : [D];
  const zero = type === "int8" ? new Int8Array(q.scale.length) : new Uint8Array(q.scale.length).fill(128);
  const inputs: [string, string, string] = [
    _addInitializer(ctx.names, home, `${name}_quantized`, codes, [D, I, G]),
    _addInitializer(ctx.names, home, `${name}_scale`, q.scale, qdims),
    _addInitializer(ctx.names, home, `${name}_zero_point`, zero, qdims),
  ];
  const list = ctx.lstmWeights.get(key) ?? [];
  list.push({ values: w.values.slice(), inputs });
  ctx.lstmWeights.set(key, list);
  return { inputs, dims: [D, I, G], shared: false };
}

function _equal(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
