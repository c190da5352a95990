import type { GraphProto, ModelProto, NodeProto } from "./_gen/onnx_pb";

/** One graph of a model and where it sits. */
export interface GraphEntry {
  readonly graph: GraphProto;
  /** "main", or the owners' path, e.g. "main/If_0.then_branch", "function:f/Loop_3.body[0]". */
  readonly path: string;
  /** The node whose attribute holds this graph (undefined for the main graph). */
  readonly node: NodeProto | undefined;
  /** The attribute's name (`then_branch`, `body`...), undefined for the main graph. */
  readonly attribute: string | undefined;
  /** The enclosing graph (undefined for the main graph and graphs inside functions' top level). */
  readonly parent: GraphProto | undefined;
}

/**
 * Every graph of a model: the main graph, then, depth first, each subgraph held by a node attribute
 * (`g`, like If's then_branch / else_branch and Loop's / Scan's body, and every entry of `graphs`) at any
 * depth, including subgraphs of nodes inside model-local functions.
 *
 * @example
 * ```ts
 * import { graphs, makeGraph, makeModel } from "@quantkit/onnx";
 * graphs(makeModel(makeGraph({ name: "g" }))).map((e) => e.path); // ["main"]
 * ```
 */
export function graphs(model: ModelProto): GraphEntry[] {
  const out: GraphEntry[] = [];
  if (model.graph !== undefined) {
    out.push({ graph: model.graph, path: "main", node: undefined, attribute: undefined, parent: undefined });
    _walkNodes(model.graph.node, "main", model.graph, out);
  }
  for (const f of model.functions) _walkNodes(f.node, `function:${f.name}`, undefined, out);
  return out;
}

function _walkNodes(
  nodes: NodeProto[],
  path: string,
  parent: GraphProto | undefined,
  out: GraphEntry[],
): void {
  nodes.forEach((node, index) => {
    const owner = `${path}/${node.name || `${node.opType}#${index}`}`;
    for (const a of node.attribute) {
      if (a.g !== undefined) _visit(a.g, `${owner}.${a.name}`, node, a.name, parent, out);
      for (let i = 0; i < a.graphs.length; i++)
        _visit(a.graphs[i]!, `${owner}.${a.name}[${i}]`, node, a.name, parent, out);
    }
  });
}

function _visit(
  graph: GraphProto,
  path: string,
  node: NodeProto,
  attribute: string,
  parent: GraphProto | undefined,
  out: GraphEntry[],
): void {
  out.push({ graph, path, node, attribute, parent });
  _walkNodes(graph.node, path, graph, out);
}
