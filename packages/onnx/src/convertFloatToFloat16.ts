import { _checkOptions, _show } from "./_errors";
import { _overflowOf, _overflowReaders, _removeUnreadCasts, _rewriteAttributes } from "./_float16Helpers";
import type { GraphProto, ModelProto, NodeProto, TensorProto } from "./_gen/onnx_pb";
import { _inferElemTypes, type _TypeScope } from "./_inferElemTypes";
import { _cloneSharingBytes } from "./_quantGraph";
import { _toFloat16Tensor } from "./_toFloat16Tensor";
import { makeAttribute } from "./attribute";
import { constantTensor } from "./constantTensor";
import { consumers } from "./consumers";
import { createNameScope, type NameScope } from "./createNameScope";
import { redirectConsumers } from "./editNodes";
import { _allTensors } from "./externalData";
import { FLOAT16_OP_BLOCK_LIST } from "./float16OpBlockList";
import { makeNode } from "./makeNode";
import { producers } from "./producers";
import { topologicalSort } from "./topologicalSort";

/** Options of {@link convertFloatToFloat16}. */
export interface Float16Options {
  /** Keep float32 graph inputs and outputs, with Casts at the boundary; default true. */
  keepIoTypes?: boolean;
  /** Operator types kept float32; default FLOAT16_OP_BLOCK_LIST. */
  opBlockList?: readonly string[];
  /** Node names kept float32. */
  nodeBlockList?: readonly string[];
  /** Non-zero weights smaller in magnitude become ±minPositive (onnxconverter-common's 1e-7); default 1e-7. */
  minPositive?: number;
  /** Change `model` itself instead of a clone; default false. */
  inPlace?: boolean;
  /**
   * What to do with a weight holding finite values beyond ±65504: "float32" (default) keeps it float32
   * and computes the nodes that read it in float32 (Casts around them); "clamp" clamps the values to
   * ±65504 in float16. Both are reported. Clamping a BatchNormalization variance of 9.8e7 (PP-OCRv4's
   * detector) turns its output maps to garbage (measured), hence the default.
   */
  onOverflow?: "float32" | "clamp";
}

/** A weight whose values did not fit float16 as they were. */
export interface Float16ValueReport {
  tensor: string;
  /** For overflow: "kept float32" (its readers compute in float32) or "clamped" (to ±65504). */
  action?: "kept float32" | "clamped";
  /** The Constant node holding it, or the nodes reading the initializer. */
  nodes: string[];
  /** The graph, as graphs() names it. */
  path: string;
  count: number;
  /** Overflow: the largest magnitude clamped to 65504. Tiny: the smallest magnitude raised to minPositive. */
  magnitude: number;
}

/** What {@link convertFloatToFloat16} did. */
export interface Float16Report {
  tensorsConverted: number;
  parametersConverted: number;
  /** float32 weights left float32 because only blocked nodes read them. */
  keptFloat32: string[];
  /** Nodes computed in float32: by the block lists, or (`reason`) because they read a weight beyond ±65504. */
  blockedNodes: Array<{ name: string; opType: string; path: string; reason?: string }>;
  castsInserted: number;
  /** Finite weights beyond ±65504: clamped to ±65504 (not ±inf). */
  overflow: Float16ValueReport[];
  /** Non-zero weights below minPositive in magnitude: raised to ±minPositive (not flushed to zero). */
  tiny: Float16ValueReport[];
  warnings: string[];
  /** SQNR (dB) of each graph output against the float model's, after `evaluateQuantization`. */
  outputSqnrDb?: Record<string, number>;
  /** Samples the SQNR figures come from. */
  evaluatedSamples?: number;
}

interface _Ctx {
  names: NameScope;
  scopes: Map<GraphProto, _TypeScope>;
  opBlock: Set<string>;
  nodeBlock: Set<string>;
  minPositive: number;
  onOverflow: "float32" | "clamp";
  report: Float16Report;
}

/**
 * transformers.js's `fp16` mode: weights and compute in float16. Every float32 initializer, Constant
 * and tensor attribute becomes float16 (in every subgraph), Cast(to=float) becomes Cast(to=float16),
 * float32 `dtype`s of generators become float16, declared value types follow; blocked operators keep
 * float32 with Casts around them; graph inputs and outputs stay float32 with Casts at the boundary
 * (`keepIoTypes`). Weights beyond ±65504 are clamped and reported, tiny ones raised to ±minPositive and
 * reported. Returns the converted model (a clone unless `inPlace`) and the report.
 *
 * @example
 * ```ts
 * import { convertFloatToFloat16, DataType, makeGraph, makeModel, makeNode, makeTensor, makeValueInfo } from "@quantkit/onnx";
 * const g = makeGraph({
 *   name: "g",
 *   node: [makeNode("MatMul", ["x", "w"], ["y"])],
 *   input: [makeValueInfo("x", DataType.FLOAT, [1, 2])],
 *   output: [makeValueInfo("y", DataType.FLOAT, [1, 1])],
 *   initializer: [makeTensor("w", DataType.FLOAT, [2, 1], [1e5, 2])],
 * });
 * const { model, report } = convertFloatToFloat16(makeModel(g));
 * model.graph?.initializer[0]?.dataType; // 1: w has a value beyond 65504, so the MatMul stays float32
 * report.overflow[0]; // { tensor: "w", action: "kept float32", nodes: ["MatMul#0"], path: "main", count: 1, magnitude: 100000 }
 * ```
 */
export function convertFloatToFloat16(
  model: ModelProto,
  options?: Float16Options,
): { model: ModelProto; report: Float16Report } {
  _checkOptions("convertFloatToFloat16", options, [
    "keepIoTypes",
    "opBlockList",
    "nodeBlockList",
    "minPositive",
    "inPlace",
    "onOverflow",
  ]);
  const onOverflow = options?.onOverflow ?? "float32";
  if (onOverflow !== "float32" && onOverflow !== "clamp") {
    throw new TypeError(
      `convertFloatToFloat16: onOverflow must be "float32" or "clamp", got ${_show(onOverflow)}`,
    );
  }
  const minPositive = options?.minPositive ?? 1e-7;
  if (!(minPositive >= 0 && minPositive < 65504)) {
    throw new RangeError(
      `convertFloatToFloat16: minPositive must be in [0, 65504), got ${_show(minPositive)}`,
    );
  }
  if (model.graph === undefined) throw new Error("convertFloatToFloat16: the model has no graph");
  for (const t of _allTensors(model)) {
    if (t.dataLocation === 1)
      throw new Error(
        `convertFloatToFloat16: tensor ${_show(t.name)} has external data; loadExternalData first`,
      );
  }
  const out = options?.inPlace ? model : _cloneSharingBytes(model);
  const report: Float16Report = {
    tensorsConverted: 0,
    parametersConverted: 0,
    keptFloat32: [],
    blockedNodes: [],
    castsInserted: 0,
    overflow: [],
    tiny: [],
    warnings: [],
  };
  if (out.functions.length > 0)
    report.warnings.push(`${out.functions.length} model-local function(s) left float32`);
  const ctx: _Ctx = {
    names: createNameScope(out),
    scopes: new Map(),
    opBlock: new Set(options?.opBlockList ?? FLOAT16_OP_BLOCK_LIST),
    nodeBlock: new Set(options?.nodeBlockList ?? []),
    minPositive,
    onOverflow,
    report,
  };
  _inferElemTypes(out.graph!, undefined, ctx.scopes);
  _convertGraph(out.graph!, "main", true, options?.keepIoTypes ?? true, ctx);
  return { model: out, report };
}

function _convertGraph(graph: GraphProto, path: string, top: boolean, keepIo: boolean, ctx: _Ctx): void {
  const scope = ctx.scopes.get(graph)!;
  const isFloat = (name: string) => name !== "" && scope.get(name) === 1;
  const readers = consumers(graph);
  const forced =
    ctx.onOverflow === "float32" ? _overflowReaders(graph, readers, isFloat) : new Map<NodeProto, string>();
  const blocked = (n: NodeProto) => ctx.opBlock.has(n.opType) || ctx.nodeBlock.has(n.name) || forced.has(n);
  const onlyBlockedRead = (name: string) => {
    const r = readers.get(name);
    return r !== undefined && r.length > 0 && r.every(blocked);
  };
  const keptFloat32 = new Set<string>();
  const convert = (t: TensorProto, name: string, nodes: string[]) => {
    const c = _toFloat16Tensor(t, ctx.minPositive);
    ctx.report.tensorsConverted++;
    ctx.report.parametersConverted += t.dims.reduce((a, d) => a * Number(d), 1);
    if (c.overflow > 0)
      ctx.report.overflow.push({
        tensor: name,
        action: "clamped",
        nodes,
        path,
        count: c.overflow,
        magnitude: c.maxAbs,
      });
    if (c.tiny > 0) ctx.report.tiny.push({ tensor: name, nodes, path, count: c.tiny, magnitude: c.minAbs });
  };
  const label = (n: NodeProto) => n.name || `${n.opType}#${graph.node.indexOf(n)}`;
  const readerNames = (name: string) => (readers.get(name) ?? []).map(label);

  // 1. Weights: initializers, Constant nodes, tensor attributes of nodes that are not blocked.
  const keep = (name: string, t: TensorProto, nodes: string[]) => {
    keptFloat32.add(name);
    ctx.report.keptFloat32.push(name);
    const o = _overflowOf(t);
    if (o.count > 0) ctx.report.overflow.push({ tensor: name, action: "kept float32", nodes, path, ...o });
  };
  for (const t of graph.initializer) {
    if (t.dataType !== 1) continue;
    if (onlyBlockedRead(t.name)) keep(t.name, t, readerNames(t.name));
    else convert(t, t.name, readerNames(t.name));
  }
  for (const node of graph.node) {
    if (blocked(node)) continue;
    const isConstant = node.opType === "Constant" && (node.domain === "" || node.domain === "ai.onnx");
    if (isConstant && isFloat(node.output[0] ?? "")) {
      const name = node.output[0]!;
      if (onlyBlockedRead(name)) {
        keep(name, constantTensor(node), [label(node)]);
        continue;
      }
      const t = constantTensor(node);
      if (node.attribute[0]!.name !== "value") node.attribute = [makeAttribute("value", t)];
      convert(t, name, [label(node)]);
      continue;
    }
    for (const a of node.attribute) {
      for (const t of a.t !== undefined ? [a.t, ...a.tensors] : a.tensors) {
        if (t.dataType === 1) convert(t, t.name || `${label(node)}.${a.name}`, [label(node)]);
      }
    }
    _rewriteAttributes(node, isFloat);
  }

  // 2. Declared types follow, except float32 graph inputs / outputs kept at the top.
  const keptIo = new Set<string>();
  if (top && keepIo) for (const v of [...graph.input, ...graph.output]) keptIo.add(v.name);
  for (const list of top && keepIo ? [graph.valueInfo] : [graph.input, graph.output, graph.valueInfo]) {
    for (const v of list) {
      const t = v.type?.value;
      if (
        t?.case === "tensorType" &&
        t.value.elemType === 1 &&
        !keptFloat32.has(v.name) &&
        !keptIo.has(v.name)
      ) {
        t.value.elemType = 10;
      }
    }
  }

  const fp32Of = new Map<string, string>();
  const added: NodeProto[] = [];
  const cast = (from: string, to: string, type: 1 | 10, name: string) => {
    const node = makeNode("Cast", [from], [to], { name: ctx.names.unique(name), attributes: { to: type } });
    added.push(node);
    ctx.report.castsInserted++;
    return node;
  };
  const outputCasts: NodeProto[] = [];
  // 3. float32 graph inputs and outputs at the boundary.
  if (top && keepIo) {
    const initNames = new Set(graph.initializer.map((t) => t.name));
    for (const v of graph.input) {
      if (!isFloat(v.name) || initNames.has(v.name) || !readers.has(v.name)) continue;
      const half = ctx.names.unique(`${v.name}_fp16`);
      const c = cast(v.name, half, 10, `${v.name}_cast_fp16`);
      redirectConsumers(graph, v.name, half, [c]);
      scope.types.set(half, 1);
      fp32Of.set(half, v.name);
    }
    const made = producers(graph);
    for (const v of graph.output) {
      if (!isFloat(v.name)) continue;
      const p = made.get(v.name);
      if (p === undefined) {
        ctx.report.warnings.push(`graph output ${_show(v.name)} is not produced by a node; left as it is`);
        continue;
      }
      const half = ctx.names.unique(`${v.name}_fp16`);
      redirectConsumers(graph, v.name, half);
      p.output[p.output.indexOf(v.name)] = half;
      scope.types.set(half, 1);
      outputCasts.push(cast(half, v.name, 1, `${v.name}_cast_fp32`));
    }
  }

  // 4. Blocked nodes compute in float32: Casts before their float inputs and after their float outputs.
  for (const node of [...graph.node]) {
    if (!blocked(node)) continue;
    ctx.report.blockedNodes.push({
      name: label(node),
      opType: node.opType,
      path,
      ...(forced.has(node) ? { reason: `reads ${forced.get(node)}, beyond float16` } : {}),
    });
    node.input.forEach((x, i) => {
      if (!isFloat(x) || keptFloat32.has(x)) return;
      let single = fp32Of.get(x);
      if (single === undefined) {
        single = ctx.names.unique(`${x}_fp32`);
        cast(x, single, 1, `${x}_cast_fp32`);
        fp32Of.set(x, single);
      }
      node.input[i] = single;
    });
    node.output.forEach((y, j) => {
      if (!isFloat(y)) return;
      const single = ctx.names.unique(`${y}_fp32`);
      node.output[j] = single;
      cast(single, y, 10, `${y}_cast_fp16`);
      fp32Of.set(y, single);
    });
  }
  // An output Cast to float32 of a value that exists in float32 reads it directly (an exact Cast).
  for (const c of outputCasts) {
    const single = fp32Of.get(c.input[0]!);
    if (single !== undefined) c.input[0] = single;
  }
  graph.node.push(...added);
  _removeUnreadCasts(graph, added, ctx.report);

  // 5. Subgraphs of nodes that compute in float16.
  for (const node of graph.node) {
    if (blocked(node)) continue;
    for (const a of node.attribute) {
      const subs = a.g !== undefined ? [a.g, ...a.graphs] : a.graphs;
      for (const [i, g] of subs.entries()) {
        const where = `${path}/${node.name || node.opType}.${a.name}${a.g ? "" : `[${i}]`}`;
        _convertGraph(g, where, false, keepIo, ctx);
      }
    }
  }
  topologicalSort(graph);
}
