// A weight that the graph computes from constants by moving values only (Unsqueeze, Slice, Concat,
// Transpose), as PyTorch exports an LSTM cell's W and R (the gates of weight_ih sliced, put in ONNX's
// order and given a direction axis) or a tied LM head (MatMul by the Transpose of the embedding table).
// ONNX Runtime's pre-processing folds such chains into one constant before it quantizes; this evaluates
// them on the float32 values, so that the weight can be quantized where the graph reads it.
import { _show } from "./_errors";
import type { NodeProto } from "./_gen/onnx_pb";
import { type _Constant, _findConstant, _intAttr, _intsAttr, type _Scope } from "./_quantGraph";
import { _floatWeightView } from "./_rewrite";
import { toArray } from "./toArray";

/** The folded weight, and what computed it (nodes of `made`, and the constants they read). */
export interface _FoldedWeight {
  values: Float32Array;
  dims: number[];
  nodes: NodeProto[];
  constants: _Constant[];
}

const DEPTH = 6;

/**
 * The float32 value of `name` when it is a constant or a chain of Unsqueeze / Slice / Concat / Transpose
 * over constants (Slice steps of 1), else why not. `made` maps the scope's values to their producers.
 */
export function _foldWeight(
  scope: _Scope,
  name: string,
  made: ReadonlyMap<string, NodeProto>,
  depth = 0,
): _FoldedWeight | string {
  const direct = _floatWeightView(scope, name);
  if (typeof direct !== "string")
    return { values: direct.values, dims: direct.dims, nodes: [], constants: [direct.constant] };
  const n = made.get(name);
  if (n === undefined || n.domain !== "" || depth >= DEPTH) return direct;
  const read: _Constant[] = [];
  const ints = (input: number, attr: string): number[] | null | undefined => {
    const i = n.input[input];
    if (i === undefined || i === "") return _intsAttr(n, attr);
    const c = _findConstant(scope, i);
    if (c === null) return null;
    read.push(c);
    return Array.from(toArray(c.tensor) as ArrayLike<number | bigint>, Number);
  };
  const parts: _FoldedWeight[] = [];
  const inputs = n.opType === "Concat" ? n.input : [n.input[0] ?? ""];
  for (const i of inputs) {
    const p = _foldWeight(scope, i, made, depth + 1);
    if (typeof p === "string") return p;
    parts.push(p);
  }
  // `read` gains the integer constants (axes, starts, ends) as `ints` reads them below.
  const folded = (values: Float32Array, dims: number[]): _FoldedWeight => ({
    values,
    dims,
    nodes: [...parts.flatMap((p) => p.nodes), n],
    constants: [...parts.flatMap((p) => p.constants), ...read],
  });
  if (n.opType === "Unsqueeze") {
    const axes = ints(1, "axes");
    if (axes == null) return `${_show(name)}: an Unsqueeze with computed axes`;
    const dims = [...parts[0]!.dims];
    const rank = dims.length + axes.length;
    for (const a of axes.map((a) => (a < 0 ? a + rank : a)).sort((x, y) => x - y)) dims.splice(a, 0, 1);
    return folded(parts[0]!.values, dims);
  }
  if (n.opType === "Concat") {
    const rank = parts[0]!.dims.length;
    let axis = _intAttr(n, "axis", 0);
    if (axis < 0) axis += rank;
    const dims = [...parts[0]!.dims];
    dims[axis] = 0;
    for (const p of parts) {
      if (p.dims.length !== rank || p.dims.some((d, k) => k !== axis && d !== parts[0]!.dims[k]))
        return `${_show(name)}: a Concat of ${parts.map((q) => _show(q.dims)).join(" and ")}`;
      dims[axis]! += p.dims[axis]!;
    }
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    let at = 0;
    for (let o = 0; o < outer; o++)
      for (const p of parts) {
        const run = p.values.length / outer;
        values.set(p.values.subarray(o * run, (o + 1) * run), at);
        at += run;
      }
    return folded(values, dims);
  }
  if (n.opType === "Slice") {
    const src = parts[0]!;
    const rank = src.dims.length;
    const starts = ints(1, "starts");
    const ends = ints(2, "ends");
    const axes = ints(3, "axes") ?? starts?.map((_, k) => k);
    const steps = ints(4, "steps");
    if (starts == null || ends == null || axes == null || steps === null)
      return `${_show(name)}: a Slice with computed bounds`;
    if (steps?.some((s) => s !== 1)) return `${_show(name)}: a Slice with steps`;
    const lo = src.dims.map(() => 0);
    const hi = [...src.dims];
    axes.forEach((a0, k) => {
      const a = a0 < 0 ? a0 + rank : a0;
      const d = src.dims[a]!;
      const clamp = (v: number) => Math.min(d, Math.max(0, v < 0 ? v + d : v));
      lo[a] = clamp(starts[k]!);
      hi[a] = Math.max(lo[a]!, clamp(ends[k]!));
    });
    const dims = hi.map((h, a) => h - lo[a]!);
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    const strides = src.dims.map((_, a) => src.dims.slice(a + 1).reduce((x, y) => x * y, 1));
    const index = new Array<number>(rank).fill(0);
    for (let i = 0; i < values.length; i++) {
      let from = 0;
      for (let a = 0; a < rank; a++) from += (lo[a]! + index[a]!) * strides[a]!;
      values[i] = src.values[from]!;
      for (let a = rank - 1; a >= 0; a--) {
        if (++index[a]! < dims[a]!) break;
        index[a] = 0;
      }
    }
    return folded(values, dims);
  }
  if (n.opType === "Transpose") {
    const src = parts[0]!;
    const rank = src.dims.length;
    const perm = _intsAttr(n, "perm") ?? src.dims.map((_, a) => rank - 1 - a);
    const dims = perm.map((p) => src.dims[p]!);
    const strides = src.dims.map((_, a) => src.dims.slice(a + 1).reduce((x, y) => x * y, 1));
    const values = new Float32Array(src.values.length);
    const index = new Array<number>(rank).fill(0);
    for (let i = 0; i < values.length; i++) {
      let from = 0;
      for (let a = 0; a < rank; a++) from += index[a]! * strides[perm[a]!]!;
      values[i] = src.values[from]!;
      for (let a = rank - 1; a >= 0; a--) {
        if (++index[a]! < dims[a]!) break;
        index[a] = 0;
      }
    }
    return folded(values, dims);
  }
  return `${_show(name)} is computed by ${n.opType}, not from constants by Unsqueeze / Slice / Concat / Transpose`;
}

/**
 * {@link _foldWeight} for a weight that `reader` reads, when the nodes that compute it are already in
 * `out` and nothing else reads their outputs (so that they can go with the float weight); `chain` says
 * whether there were any.
 */
export function _foldWeightOf(
  scope: _Scope,
  out: readonly NodeProto[],
  reader: NodeProto,
  name: string,
): _FoldedWeight | string {
  const made = new Map<string, NodeProto>();
  for (const n of out) for (const o of n.output) if (o !== "") made.set(o, n);
  const w = _foldWeight(scope, name, made);
  if (typeof w === "string" || w.nodes.length === 0) return w;
  const chain = new Set<NodeProto>([...w.nodes, reader]);
  for (const n of w.nodes)
    for (const o of n.output) {
      if (scope.graph.output.some((g) => g.name === o))
        return `${_show(name)}: ${_show(o)} is a graph output`;
      for (const r of scope.graph.node)
        if (r.input.includes(o) && !chain.has(r))
          return `${_show(name)}: ${_show(o)} is also read by ${_show(r.name || r.opType)}`;
    }
  return w;
}

/**
 * Removes the nodes that computed a folded weight from `out`, and says so in their report rows:
 * "removed: folded into <what>".
 */
export function _removeFolded(
  w: _FoldedWeight,
  out: NodeProto[],
  rows: ReadonlyMap<NodeProto, { detail: string }>,
  what: string,
): void {
  for (const n of w.nodes) {
    const i = out.indexOf(n);
    if (i >= 0) out.splice(i, 1);
    const row = rows.get(n);
    if (row !== undefined) row.detail = `removed: folded into ${what}`;
  }
}
