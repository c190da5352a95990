import { _show } from "./_errors";
import type { GraphProto, NodeProto } from "./_gen/onnx_pb";

/**
 * Inserts nodes into a graph at `index` (default: the end). Call topologicalSort afterwards when the
 * position does not already respect the order.
 *
 * @example
 * ```ts
 * import { insertNodes, makeGraph, makeNode } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g" });
 * insertNodes(g, [makeNode("Relu", ["x"], ["y"])]);
 * g.node.length; // 1
 * ```
 */
export function insertNodes(graph: GraphProto, nodes: readonly NodeProto[], index = graph.node.length): void {
  if (!Number.isInteger(index) || index < 0 || index > graph.node.length) {
    throw new RangeError(`insertNodes: index must be in 0..${graph.node.length}, got ${_show(index)}`);
  }
  graph.node.splice(index, 0, ...nodes);
}

/**
 * Removes a node from a graph (by identity); throws when the graph does not hold it.
 *
 * @example
 * ```ts
 * import { makeGraph, makeNode, removeNode } from "@quantkit/onnx";
 * const relu = makeNode("Relu", ["x"], ["y"]);
 * const g = makeGraph({ name: "g", node: [relu] });
 * removeNode(g, relu);
 * g.node.length; // 0
 * ```
 */
export function removeNode(graph: GraphProto, node: NodeProto): void {
  const i = graph.node.indexOf(node);
  if (i < 0)
    throw new Error(
      `removeNode: node ${_show(node.name)} (${node.opType}) is not in graph ${_show(graph.name)}`,
    );
  graph.node.splice(i, 1);
}

/**
 * Replaces a node by a sequence of nodes at its position (a MatMul by DynamicQuantizeLinear +
 * MatMulInteger + Mul, say).
 *
 * @example
 * ```ts
 * import { makeGraph, makeNode, replaceNode } from "@quantkit/onnx";
 * const relu = makeNode("Relu", ["x"], ["y"]);
 * const g = makeGraph({ name: "g", node: [relu] });
 * replaceNode(g, relu, [makeNode("Clip", ["x"], ["y"])]);
 * g.node[0]?.opType; // "Clip"
 * ```
 */
export function replaceNode(graph: GraphProto, node: NodeProto, replacement: readonly NodeProto[]): void {
  const i = graph.node.indexOf(node);
  if (i < 0)
    throw new Error(
      `replaceNode: node ${_show(node.name)} (${node.opType}) is not in graph ${_show(graph.name)}`,
    );
  graph.node.splice(i, 1, ...replacement);
}

/**
 * Makes every reader of value `from` in a graph read `to` instead, subgraphs included (where `from` is
 * not redefined), except the nodes in `except` (the Cast that reads the original). Graph outputs are
 * not renamed. Returns the number of inputs rewritten.
 *
 * @example
 * ```ts
 * import { makeGraph, makeNode, redirectConsumers } from "@quantkit/onnx";
 * const cast = makeNode("Cast", ["x"], ["x16"], { attributes: { to: 10 } });
 * const relu = makeNode("Relu", ["x"], ["y"]);
 * const g = makeGraph({ name: "g", node: [cast, relu] });
 * redirectConsumers(g, "x", "x16", [cast]); // 1
 * relu.input; // ["x16"]
 * ```
 */
export function redirectConsumers(
  graph: GraphProto,
  from: string,
  to: string,
  except: readonly NodeProto[] = [],
): number {
  if (from === "" || to === "")
    throw new TypeError(`redirectConsumers: names must be non-empty (from ${_show(from)}, to ${_show(to)})`);
  let count = 0;
  for (const node of graph.node) {
    if (except.includes(node)) continue;
    for (let i = 0; i < node.input.length; i++) {
      if (node.input[i] === from) {
        node.input[i] = to;
        count++;
      }
    }
    for (const a of node.attribute) {
      const subs = a.g !== undefined ? [a.g, ...a.graphs] : a.graphs;
      for (const g of subs) if (!_defines(g, from)) count += redirectConsumers(g, from, to, except);
    }
  }
  return count;
}

function _defines(g: GraphProto, name: string): boolean {
  return (
    g.input.some((v) => v.name === name) ||
    g.initializer.some((t) => t.name === name) ||
    g.node.some((n) => n.output.includes(name))
  );
}
