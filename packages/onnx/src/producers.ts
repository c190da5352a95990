import type { GraphProto, NodeProto } from "./_gen/onnx_pb";

/**
 * Which node produces each value of a graph (graph inputs and initializers have no producer).
 *
 * @example
 * ```ts
 * import { makeGraph, makeNode, producers } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g", node: [makeNode("Relu", ["x"], ["y"], { name: "r" })] });
 * producers(g).get("y")?.name; // "r"
 * ```
 */
export function producers(graph: GraphProto): Map<string, NodeProto> {
  const out = new Map<string, NodeProto>();
  for (const node of graph.node) for (const o of node.output) if (o !== "") out.set(o, node);
  return out;
}
