import type { GraphProto, NodeProto } from "./_gen/onnx_pb";

/**
 * Which nodes of a graph read each value. A node that holds subgraphs (If, Loop, Scan) also counts as
 * a reader of every outer value its subgraphs use without defining it, so renaming or retyping a value
 * never misses a use inside a branch. A node reading a value twice is listed once.
 *
 * @example
 * ```ts
 * import { consumers, makeGraph, makeNode } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g", node: [makeNode("Add", ["x", "x"], ["y"], { name: "a" })] });
 * consumers(g).get("x")?.map((n) => n.name); // ["a"]
 * ```
 */
export function consumers(graph: GraphProto): Map<string, NodeProto[]> {
  const out = new Map<string, NodeProto[]>();
  const add = (name: string, node: NodeProto) => {
    if (name === "") return;
    const list = out.get(name);
    if (list === undefined) out.set(name, [node]);
    else if (list[list.length - 1] !== node) list.push(node);
  };
  for (const node of graph.node) {
    for (const i of node.input) add(i, node);
    for (const name of _outerReads(node)) add(name, node);
  }
  return out;
}

/** Names a node's subgraphs read from enclosing scopes (used, not defined inside). */
export function _outerReads(node: NodeProto): Set<string> {
  const reads = new Set<string>();
  for (const a of node.attribute) {
    const subs = a.g !== undefined ? [a.g, ...a.graphs] : a.graphs;
    for (const g of subs) for (const name of _freeNames(g)) reads.add(name);
  }
  return reads;
}

function _freeNames(graph: GraphProto): Set<string> {
  const defined = new Set<string>();
  for (const v of graph.input) defined.add(v.name);
  for (const t of graph.initializer) defined.add(t.name);
  for (const n of graph.node) for (const o of n.output) defined.add(o);
  const free = new Set<string>();
  for (const n of graph.node) {
    for (const i of n.input) if (i !== "" && !defined.has(i)) free.add(i);
    for (const name of _outerReads(n)) if (!defined.has(name)) free.add(name);
  }
  for (const o of graph.output) if (!defined.has(o.name)) free.add(o.name);
  return free;
}
