import { _show } from "./_errors";
import type { GraphProto, NodeProto } from "./_gen/onnx_pb";
import { _outerReads } from "./consumers";

/**
 * Orders a graph's nodes so every node comes after the producers of what it reads (its inputs and the
 * outer values its subgraphs read), keeping the existing order wherever it is already valid. Values no
 * node of the graph produces (graph inputs, initializers, outer scope) count as available. Throws on a
 * cycle, naming a node in it.
 *
 * @example
 * ```ts
 * import { makeGraph, makeNode, topologicalSort } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g", node: [makeNode("Relu", ["h"], ["y"]), makeNode("Neg", ["x"], ["h"])] });
 * topologicalSort(g);
 * g.node.map((n) => n.opType); // ["Neg", "Relu"]
 * ```
 */
export function topologicalSort(graph: GraphProto): void {
  const producer = new Map<string, number>();
  graph.node.forEach((n, i) => {
    for (const o of n.output) if (o !== "") producer.set(o, i);
  });
  const deps = graph.node.map((n) => {
    const d = new Set<number>();
    for (const name of [...n.input, ..._outerReads(n)]) {
      const p = producer.get(name);
      if (p !== undefined) d.add(p);
    }
    return d;
  });
  const state = new Uint8Array(graph.node.length); // 0 new, 1 visiting, 2 done
  const order: NodeProto[] = [];
  const visit = (start: number) => {
    const stack: Array<[number, Iterator<number>]> = [[start, deps[start]!.values()]];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top[1].next();
      if (next.done) {
        state[top[0]] = 2;
        order.push(graph.node[top[0]]!);
        stack.pop();
        continue;
      }
      const d = next.value;
      if (state[d] === 1) {
        const n = graph.node[d]!;
        throw new Error(
          `topologicalSort: graph ${_show(graph.name)} has a cycle through node ${_show(n.name)} (${n.opType})`,
        );
      }
      if (state[d] === 0) {
        state[d] = 1;
        stack.push([d, deps[d]!.values()]);
      }
    }
  };
  for (let i = 0; i < graph.node.length; i++) if (state[i] === 0) visit(i);
  graph.node.splice(0, graph.node.length, ...order);
}
