// The attention block around q, k and v, found in an ONNX graph so that AWQ can measure their shared
// scale through it (AutoAWQ's module2inspect = self_attn). Matches what PyTorch's exporter writes for
// multi-head attention: each projection (+ bias) reshaped to [B, T, H, D] and transposed to heads,
// q k^T times scalars, an optional additive mask sliced from a constant, Softmax over the keys, times v,
// heads merged back to [B, T, H*D] and into the o projection. Anything else is reported, not guessed.
import type { NodeProto, TensorProto } from "./_gen/onnx_pb";
import { _findConstant, _intAttr, _intsAttr, type _Scope } from "./_quantGraph";
import { toArray } from "./toArray";
import { toFloat32Array } from "./toFloat32Array";

/** What AWQ needs of the block: weights are ONNX's B [K, N]. */
export interface _AttentionBlock {
  /** The q, k and v MatMuls, in that order. */
  qkv: [NodeProto, NodeProto, NodeProto];
  heads: number;
  /** The factor of q . k before the softmax (all scalar Mul / Div on the way). */
  scale: number;
  bias: [Float32Array | undefined, Float32Array | undefined, Float32Array | undefined];
  /** The additive mask for T tokens, or why it cannot be had; null: the scores have no mask. */
  mask: ((T: number) => Float32Array | string) | null;
  /** The largest T the mask covers (Infinity without a mask). */
  maxSequence: number;
  /** The o projection: its node, B [K, N] and the value it reads. */
  output: { node: NodeProto; weight: Float32Array; shape: [number, number]; input: string };
  /**
   * v's bias: the Add right after v's MatMul and the slot of its constant (v's output channel n reaches o's
   * input channel n through the heads and back: a scale of v's columns passes straight through).
   */
  valueBias: { add: NodeProto; slot: number } | undefined;
}

type Graph = {
  made: Map<string, NodeProto>;
  reads: Map<string, NodeProto[]>;
  scope: _Scope;
};

interface _Trace {
  end: NodeProto;
  slot: number;
  axes: string[];
  factor: number;
  bias: Float32Array | undefined;
  /** The Add of the bias and the slot of its constant. */
  biasAdd: { add: NodeProto; slot: number } | undefined;
  heads: number;
  size: number;
}

const STEPS = 12;

/** Matches the block whose q, k and v are `group` (the MatMuls reading one value), or says why not. */
export function _matchAttention(
  group: readonly NodeProto[],
  scope: _Scope,
  made: Map<string, NodeProto>,
  reads: Map<string, NodeProto[]>,
  opset: number,
): _AttentionBlock | string {
  if (group.length !== 3) return `${group.length} MatMuls read the input, not q, k and v`;
  const g: Graph = { made, reads, scope };
  const traces: _Trace[] = [];
  for (const m of group) {
    const t = _trace(m, g);
    if (typeof t === "string") return `${m.name || m.output[0]}: ${t}`;
    traces.push(t);
  }
  const at = (axes: string) => traces.findIndex((t) => t.axes.join("") === axes);
  const iq = traces.findIndex((t) => t.slot === 0 && t.axes.join("") === "BHTD");
  const ik = at("BHDT");
  const iv = traces.findIndex((t, i) => i !== iq && t.slot === 1 && t.axes.join("") === "BHTD");
  if (iq < 0 || ik < 0 || iv < 0)
    return "no q [B, H, T, D] x k [B, H, D, T] product and v [B, H, T, D] found";
  const [q, k, v] = [traces[iq]!, traces[ik]!, traces[iv]!];
  if (q.end !== k.end || q.slot !== 0 || k.slot !== 1 || v.end === q.end)
    return "q and k do not meet in one MatMul, or v meets them there";
  if (q.heads !== k.heads || q.heads !== v.heads || q.size !== k.size)
    return `heads differ: q ${q.heads} x ${q.size}, k ${k.heads} x ${k.size}, v ${v.heads} x ${v.size}`;

  // Scores -> (scalar Mul / Div, Add mask)* -> Softmax -> the product with v.
  let scale = q.factor * k.factor;
  let maskName: string | null = null;
  let maskFactor = 1;
  let value = q.end.output[0]!;
  let softmax: NodeProto | null = null;
  for (let step = 0; step < STEPS && softmax === null; step++) {
    const n = _single(value, g);
    if (typeof n === "string") return `scores: ${n}`;
    if (n.opType === "Softmax" && n.domain === "") {
      const axis = _getAxis(n, opset);
      if (axis !== -1 && axis !== 3) return `Softmax over axis ${axis}, not the keys`;
      softmax = n;
    } else if (n.opType === "Mul" || n.opType === "Div") {
      const c = _scalarOperand(n, value, g);
      if (typeof c === "string") return `scores: ${c}`;
      scale *= c;
      maskFactor *= c;
    } else if (n.opType === "Add") {
      const other = n.input[0] === value ? n.input[1]! : n.input[0]!;
      const c = _scalar(other, g);
      if (c === null) {
        if (maskName !== null) return "scores: two masks";
        maskName = other;
        maskFactor = 1;
      }
    } else return `scores: ${n.opType} between the q k product and the Softmax`;
    value = n.output[0]!;
  }
  if (softmax === null) return "scores: no Softmax";
  const p = _single(softmax.output[0]!, g);
  if (typeof p === "string" || p !== v.end || p.input[0] !== softmax.output[0])
    return "the Softmax does not go straight into the product with v";

  let mask: _AttentionBlock["mask"] = null;
  let maxSequence = Number.POSITIVE_INFINITY;
  if (maskName !== null) {
    const m = _sliceOfConstant(maskName, g);
    if (typeof m === "string") return `mask: ${m}`;
    maxSequence = Math.min(m.rows, m.cols);
    const factor = maskFactor;
    mask = (T) => {
      if (T > maxSequence) return `the mask covers ${maxSequence} tokens, the sequences have ${T}`;
      const out = new Float32Array(T * T);
      for (let i = 0; i < T; i++)
        for (let j = 0; j < T; j++) out[i * T + j] = m.values[i * m.stride + j]! * factor;
      return out;
    };
  }

  // Heads merged: [B, H, T, D] -> Transpose to [B, T, H, D] -> Reshape [B, T, H*D] -> the o MatMul.
  let axes = ["B", "H", "T", "D"];
  value = p.output[0]!;
  for (let step = 0; step < STEPS; step++) {
    const n = _single(value, g);
    if (typeof n === "string") return `after attention: ${n}`;
    if (n.opType === "Transpose") {
      axes = _transpose(axes, n);
    } else if (n.opType === "Reshape") {
      const shape = _shape(n.input[1]!, g);
      const merged = v.heads * v.size;
      if (axes.join("") !== "BTHD" || shape === null || shape.length !== 3)
        return "heads are not merged back";
      if (shape[2] !== merged && shape[2] !== -1) return `heads merged to ${shape[2]}, not ${merged}`;
      axes = ["B", "T", "C"];
    } else if (n.opType === "MatMul" && n.input[0] === value && axes.join("") === "BTC") {
      const w = _findConstant(scope, n.input[1]!);
      if (w === null || w.tensor.dataType !== 1 || w.tensor.dims.length !== 2)
        return "o has no float32 2-D weight";
      const shape = w.tensor.dims.map(Number) as [number, number];
      return {
        qkv: [group[iq]!, group[ik]!, group[iv]!],
        heads: q.heads,
        scale,
        bias: [q.bias, k.bias, v.bias],
        mask,
        maxSequence,
        output: { node: n, weight: toFloat32Array(w.tensor), shape, input: value },
        valueBias: v.biasAdd,
      };
    } else return `after attention: ${n.opType} before the o projection`;
    value = n.output[0]!;
  }
  return "no o projection";
}

/** Follows a projection's output to the MatMul of two computed values it feeds. */
function _trace(m: NodeProto, g: Graph): _Trace | string {
  const w = _findConstant(g.scope, m.input[1]!);
  const N = w === null ? 0 : Number(w.tensor.dims[1] ?? 0);
  let value = m.output[0]!;
  let axes: string[] | null = null;
  let factor = 1;
  let bias: Float32Array | undefined;
  let biasAdd: _Trace["biasAdd"];
  let heads = 0;
  let size = 0;
  for (let step = 0; step < STEPS; step++) {
    const n = _single(value, g);
    if (typeof n === "string") return n;
    if (n.opType === "Add" && step === 0) {
      const other = n.input[0] === value ? n.input[1]! : n.input[0]!;
      const c = _findConstant(g.scope, other);
      if (c === null || c.tensor.dataType !== 1 || _count(c.tensor) !== N) return "an Add that is not a bias";
      bias = toFloat32Array(c.tensor);
      biasAdd = { add: n, slot: n.input.indexOf(other) };
    } else if (n.opType === "Reshape" && axes === null) {
      const shape = _shape(n.input[1]!, g);
      if (shape === null || shape.length !== 4) return "a Reshape that is not [B, T, heads, size]";
      let [H, D] = [shape[2]!, shape[3]!];
      if (H === -1 && D > 0) H = N / D;
      if (D === -1 && H > 0) D = N / H;
      if (!(H > 0 && D > 0 && Number.isInteger(H) && Number.isInteger(D) && H * D === N))
        return `a Reshape to heads of [${H}, ${D}] for ${N} outputs`;
      [heads, size, axes] = [H, D, ["B", "T", "H", "D"]];
    } else if (n.opType === "Transpose" && axes !== null) {
      axes = _transpose(axes, n);
    } else if (n.opType === "Mul" || n.opType === "Div") {
      // A scalar commutes with the reshapes, before or after them.
      const c = _scalarOperand(n, value, g);
      if (typeof c === "string") return c;
      factor *= c;
    } else if (n.opType === "MatMul" && n.domain === "" && axes !== null) {
      if (_findConstant(g.scope, n.input[0]!) !== null || _findConstant(g.scope, n.input[1]!) !== null)
        return "reaches a MatMul with a constant";
      return { end: n, slot: n.input.indexOf(value), axes, factor, bias, biasAdd, heads, size };
    } else return `${n.opType} between the projection and attention`;
    value = n.output[0]!;
  }
  return "too far from attention";
}

function _single(value: string, g: Graph): NodeProto | string {
  if (g.scope.graph.output.some((o) => o.name === value)) return `${value} is a graph output`;
  const rs = g.reads.get(value) ?? [];
  if (rs.length !== 1) return `${value} is read by ${rs.length} nodes`;
  return rs[0]!;
}

function _transpose(axes: string[], n: NodeProto): string[] {
  const perm = _intsAttr(n, "perm") ?? axes.map((_, i) => axes.length - 1 - i);
  return perm.map((p) => axes[p] ?? "?");
}

function _getAxis(softmax: NodeProto, opset: number): number {
  // Before opset 13 Softmax's default axis is 1 (and it flattens); from 13 on, -1.
  return _intAttr(softmax, "axis", opset >= 13 ? -1 : 1);
}

function _count(t: TensorProto): number {
  return t.dims.reduce((p, d) => p * Number(d), 1);
}

/** The value of a one-element float constant, else null. */
function _scalar(name: string, g: Graph): number | null {
  const c = _findConstant(g.scope, name);
  if (c === null || _count(c.tensor) !== 1 || c.tensor.dataType !== 1) return null;
  return toFloat32Array(c.tensor)[0]!;
}

/** For `value` times or divided by a one-element constant: the factor it applies. */
function _scalarOperand(n: NodeProto, value: string, g: Graph): number | string {
  const other = n.input[0] === value ? n.input[1]! : n.input[0]!;
  const c = _scalar(other, g);
  if (c === null) return `a ${n.opType} by a non-scalar`;
  if (n.opType === "Div") return n.input[0] === value ? 1 / c : "a Div of a constant by the value";
  return c;
}

/** An int64 shape: a constant, or a Concat of constants and one-element dynamic parts (-2 each). */
function _shape(name: string, g: Graph): number[] | null {
  const ints = (t: TensorProto) => Array.from(toArray(t) as ArrayLike<number | bigint>, Number);
  const c = _findConstant(g.scope, name);
  if (c !== null) return ints(c.tensor);
  const n = g.made.get(name);
  if (n === undefined || n.opType !== "Concat") return null;
  const out: number[] = [];
  for (const i of n.input) {
    const p = _findConstant(g.scope, i);
    if (p !== null) out.push(...ints(p.tensor));
    else if (g.made.get(i)?.opType === "Unsqueeze") out.push(-2);
    else return null;
  }
  return out;
}

/** A constant [..., rows, cols] (leading dims 1), sliced from index 0 with steps of 1: its top-left part. */
function _sliceOfConstant(
  name: string,
  g: Graph,
): { values: Float32Array; rows: number; cols: number; stride: number } | string {
  let value = name;
  const ends = new Map<number, number>();
  for (let step = 0; step < STEPS; step++) {
    const c = _findConstant(g.scope, value);
    if (c !== null) {
      const dims = c.tensor.dims.map(Number);
      if (c.tensor.dataType !== 1 || dims.length < 2 || dims.slice(0, -2).some((d) => d !== 1))
        return "not a float32 [..., T, T] constant";
      const [rows, cols] = dims.slice(-2) as [number, number];
      const r = Math.min(rows, ends.get(dims.length - 2) ?? rows);
      const k = Math.min(cols, ends.get(dims.length - 1) ?? cols);
      const all = toFloat32Array(c.tensor);
      const values = new Float32Array(r * cols);
      values.set(all.subarray(0, r * cols));
      return { values, rows: r, cols: k, stride: cols };
    }
    const n = g.made.get(value);
    if (n === undefined || n.opType !== "Slice" || n.domain !== "") return "not a Slice of a constant";
    const get = (i: number) => {
      const name = n.input[i];
      if (name === undefined || name === "") return undefined;
      const t = _findConstant(g.scope, name);
      return t === null ? null : Array.from(toArray(t.tensor) as ArrayLike<number | bigint>, Number);
    };
    const [starts, sliceEnds, axes, steps] = [get(1), get(2), get(3), get(4)];
    if (starts == null || starts.some((s) => s !== 0)) return "a Slice that does not start at 0";
    if (steps === null || steps?.some((s) => s !== 1)) return "a Slice with steps";
    if (axes === null) return "a Slice over computed axes";
    if (axes?.some((a) => a < 0)) return "a Slice over negative axes";
    // Constant ends bound the part used; computed ends are the sequence length (checked when run).
    if (sliceEnds !== null && sliceEnds !== undefined) {
      sliceEnds.forEach((e, i) => {
        const axis = axes?.[i] ?? i;
        if (e >= 0) ends.set(axis, Math.min(e, ends.get(axis) ?? e));
      });
    }
    value = n.input[0]!;
  }
  return "too many Slices";
}
