import type { FunctionProto, GraphProto, ModelProto, NodeProto } from "./_gen/onnx_pb";
import { graphs } from "./graphs";

/** A node and where it sits. */
export interface NodeEntry {
  readonly node: NodeProto;
  /** The graph holding the node; undefined for a node of a function body. */
  readonly graph: GraphProto | undefined;
  /** The function holding the node, if any. */
  readonly function: FunctionProto | undefined;
  /** The graph's path as {@link graphs} names it, or "function:NAME". */
  readonly path: string;
}

/**
 * Every node of a model: the main graph's, every subgraph's (If / Loop / Scan bodies at any depth),
 * and the bodies of model-local functions.
 *
 * @example
 * ```ts
 * import { allNodes, makeGraph, makeModel, makeNode } from "@quantkit/onnx";
 * const model = makeModel(makeGraph({ name: "g", node: [makeNode("Relu", ["x"], ["y"])] }));
 * allNodes(model).map((e) => e.node.opType); // ["Relu"]
 * ```
 */
export function allNodes(model: ModelProto): NodeEntry[] {
  const out: NodeEntry[] = [];
  for (const e of graphs(model)) {
    for (const node of e.graph.node) out.push({ node, graph: e.graph, function: undefined, path: e.path });
  }
  for (const f of model.functions) {
    for (const node of f.node) out.push({ node, graph: undefined, function: f, path: `function:${f.name}` });
  }
  return out;
}
