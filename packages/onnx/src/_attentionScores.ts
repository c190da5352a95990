import type { GraphProto, NodeProto } from "./_gen/onnx_pb";
import { consumers } from "./consumers";
import { producers } from "./producers";

/** Ops between a projection and the attention-score MatMul, or between that MatMul and its Softmax. */
const PASS = new Set([
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Where",
  "Cast",
  "Identity",
  "Reshape",
  "Transpose",
  "Squeeze",
  "Unsqueeze",
  "Split",
  "Slice",
]);
const DEPTH = 8;

/**
 * The weight MatMuls whose outputs are multiplied together into attention scores (q and k, or a fused
 * qkv): a MatMul of two computed values whose output reaches a Softmax through element-wise and shape
 * ops is a score product; walking back from its two inputs through such ops reaches the projections.
 * AWQ does not clip these (AutoAWQ's `avoid_clipping` of q_/k_/Wqkv: an error there goes through the
 * softmax, not straight to an output, so the clip search's output error does not measure it).
 */
export function _attentionScoreProjections(graph: GraphProto): Set<NodeProto> {
  const constants = new Set<string>(graph.initializer.map((t) => t.name));
  for (const n of graph.node) if (n.opType === "Constant") for (const o of n.output) constants.add(o);
  const made = producers(graph);
  const reads = consumers(graph);
  const out = new Set<NodeProto>();
  for (const node of graph.node) {
    if (node.opType !== "MatMul" || node.domain !== "") continue;
    const [a, b] = node.input;
    if (a === undefined || b === undefined || constants.has(a) || constants.has(b)) continue;
    if (!_reachesSoftmax(node.output[0]!, reads)) continue;
    for (const start of [a, b]) _projections(start, made, constants, out);
  }
  return out;
}

function _reachesSoftmax(value: string, reads: Map<string, NodeProto[]>): boolean {
  let frontier = [value];
  for (let depth = 0; depth < DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const v of frontier) {
      for (const n of reads.get(v) ?? []) {
        if (n.domain !== "") continue;
        if (n.opType === "Softmax") return true;
        if (PASS.has(n.opType)) next.push(...n.output);
      }
    }
    frontier = next;
  }
  return false;
}

function _projections(
  value: string,
  made: Map<string, NodeProto>,
  constants: Set<string>,
  out: Set<NodeProto>,
): void {
  let frontier = [value];
  for (let depth = 0; depth < DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const v of frontier) {
      const n = made.get(v);
      if (n === undefined || n.domain !== "") continue;
      if (n.opType === "MatMul" && constants.has(n.input[1] ?? "")) out.add(n);
      else if (PASS.has(n.opType)) next.push(...n.input.filter((i) => i !== "" && !constants.has(i)));
    }
    frontier = next;
  }
}
