import { _show } from "./_errors";
import type { ModelProto } from "./_gen/onnx_pb";
import { allNodes } from "./allNodes";
import { graphs } from "./graphs";

/** Fresh names that collide with nothing in a model. */
export interface NameScope {
  /** `base` if unused, else `base_1`, `base_2`...; the name returned is taken from then on. */
  unique(base: string): string;
  /** Whether the model (or this scope) already uses a name. */
  has(name: string): boolean;
}

/**
 * A name scope over every name a model uses: values, nodes, initializers, graph inputs / outputs /
 * value_info, in every graph and function. Quantizers draw new tensor and node names from it.
 *
 * @example
 * ```ts
 * import { createNameScope, makeGraph, makeModel, makeNode } from "@quantkit/onnx";
 * const model = makeModel(makeGraph({ name: "g", node: [makeNode("Relu", ["x"], ["y"])] }));
 * const names = createNameScope(model);
 * names.unique("y"); // "y_1"
 * names.unique("y"); // "y_2"
 * ```
 */
export function createNameScope(model: ModelProto): NameScope {
  const used = new Set<string>();
  for (const e of graphs(model)) {
    const g = e.graph;
    for (const list of [g.input, g.output, g.valueInfo]) for (const v of list) used.add(v.name);
    for (const t of g.initializer) used.add(t.name);
  }
  for (const { node } of allNodes(model)) {
    if (node.name !== "") used.add(node.name);
    for (const n of node.input) used.add(n);
    for (const n of node.output) used.add(n);
  }
  for (const f of model.functions) for (const n of [...f.input, ...f.output]) used.add(n);
  return {
    unique(base: string): string {
      if (typeof base !== "string" || base === "")
        throw new TypeError(`NameScope.unique: base must be a non-empty string, got ${_show(base)}`);
      let name = base;
      for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
      used.add(name);
      return name;
    },
    has: (name: string) => used.has(name),
  };
}
