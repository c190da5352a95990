import type { GraphProto, NodeProto, TensorProto } from "./_gen/onnx_pb";
import { FLOAT16_MAX } from "./_toFloat16Tensor";
import { makeAttribute } from "./attribute";
import { constantTensor } from "./constantTensor";
import { consumers } from "./consumers";
import { makeTensor } from "./makeTensor";
import { toFloat32Array } from "./toFloat32Array";

// Helpers of convertFloatToFloat16: overflow scans, attribute rewrites, cast clean-up.

/** Finite values beyond ±65504 in a float32 tensor: how many, the largest magnitude. */
export function _overflowOf(t: TensorProto): { count: number; magnitude: number } {
  const values = toFloat32Array(t);
  let count = 0;
  let magnitude = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > FLOAT16_MAX && a !== Number.POSITIVE_INFINITY) {
      count++;
      if (a > magnitude) magnitude = a;
    }
  }
  return { count, magnitude };
}

/** The nodes of a graph that read a float32 weight (initializer or Constant) holding values beyond ±65504. */
export function _overflowReaders(
  graph: GraphProto,
  readers: Map<string, NodeProto[]>,
  isFloat: (name: string) => boolean,
): Map<NodeProto, string> {
  const forced = new Map<NodeProto, string>();
  const mark = (name: string, t: TensorProto) => {
    if (_overflowOf(t).count === 0) return;
    for (const r of readers.get(name) ?? []) forced.set(r, name);
  };
  for (const t of graph.initializer) if (t.dataType === 1) mark(t.name, t);
  for (const node of graph.node) {
    if (
      node.opType === "Constant" &&
      (node.domain === "" || node.domain === "ai.onnx") &&
      isFloat(node.output[0] ?? "")
    ) {
      mark(node.output[0]!, constantTensor(node));
    }
  }
  return forced;
}

/** Cast(to=float) -> float16, generator dtypes float -> float16, ConstantOfShape's default value. */
export function _rewriteAttributes(node: NodeProto, isFloat: (name: string) => boolean): void {
  const op = node.opType;
  if (node.domain !== "" && node.domain !== "ai.onnx") return;
  if (op === "Cast") {
    const to = node.attribute.find((a) => a.name === "to");
    if (to !== undefined && to.i === 1n) to.i = 10n;
  } else if (["RandomNormal", "RandomUniform", "EyeLike", "Bernoulli"].includes(op)) {
    const dtype = node.attribute.find((a) => a.name === "dtype");
    if (dtype !== undefined && dtype.i === 1n) dtype.i = 10n;
    else if (dtype === undefined && (op === "RandomNormal" || op === "RandomUniform"))
      node.attribute.push(makeAttribute("dtype", 10));
  } else if (op === "ConstantOfShape" && isFloat(node.output[0] ?? "")) {
    if (!node.attribute.some((a) => a.name === "value")) {
      node.attribute.push(makeAttribute("value", makeTensor("", 10, [1], [0])));
    }
  }
}

/** Drops inserted Casts whose output nothing reads (a float16 copy of a value only float32 users need). */
export function _removeUnreadCasts(
  graph: GraphProto,
  added: NodeProto[],
  report: { castsInserted: number },
): void {
  const outputs = new Set(graph.output.map((o) => o.name));
  const readers = consumers(graph);
  const dead = new Set(added.filter((c) => !outputs.has(c.output[0]!) && !readers.has(c.output[0]!)));
  if (dead.size === 0) return;
  graph.node = graph.node.filter((n) => !dead.has(n));
  report.castsInserted -= dead.size;
}
