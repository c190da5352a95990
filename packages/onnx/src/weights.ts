import { _show } from "./_errors";
import type { GraphProto, ModelProto, NodeProto, TensorProto } from "./_gen/onnx_pb";
import { allNodes } from "./allNodes";
import { makeAttribute } from "./attribute";
import { constantTensor } from "./constantTensor";
import { graphs } from "./graphs";

/** A weight of a model: an initializer or the output of a `Constant` node. */
export interface WeightEntry {
  /** The value name the graph uses (initializer name or the Constant's output). */
  readonly name: string;
  /** The tensor (for a Constant with value_float(s) / value_int(s), a tensor built from it). */
  readonly tensor: TensorProto;
  readonly kind: "initializer" | "constant";
  /** The graph holding it; undefined for a Constant inside a function body. */
  readonly graph: GraphProto | undefined;
  /** The graph's path as graphs() names it. */
  readonly path: string;
  /** The Constant node, for kind "constant". */
  readonly node: NodeProto | undefined;
}

/**
 * Every weight of a model, in every graph (subgraphs of If / Loop / Scan at any depth included): the
 * initializers, then the `Constant` nodes (value, value_float(s), value_int(s), value_string(s)).
 * Sparse initializers and `sparse_value` constants are not listed.
 *
 * @example
 * ```ts
 * import { DataType, makeGraph, makeModel, makeTensor, weights } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g", initializer: [makeTensor("w", DataType.FLOAT, [2], [1, 2])] });
 * weights(makeModel(g)).map((w) => w.name); // ["w"]
 * ```
 */
export function weights(model: ModelProto): WeightEntry[] {
  const out: WeightEntry[] = [];
  for (const e of graphs(model)) {
    for (const tensor of e.graph.initializer) {
      out.push({
        name: tensor.name,
        tensor,
        kind: "initializer",
        graph: e.graph,
        path: e.path,
        node: undefined,
      });
    }
  }
  for (const e of allNodes(model)) {
    const node = e.node;
    if (node.opType !== "Constant" || (node.domain !== "" && node.domain !== "ai.onnx")) continue;
    if (node.attribute[0]?.name === "sparse_value") continue;
    out.push({
      name: node.output[0] ?? "",
      tensor: constantTensor(node),
      kind: "constant",
      graph: e.graph,
      path: e.path,
      node,
    });
  }
  return out;
}

/**
 * Replaces a weight's tensor where it lives: the initializer in its graph (same position), or the
 * Constant node's attribute (which becomes `value`). The new tensor takes the weight's name.
 *
 * @example
 * ```ts
 * import { DataType, makeGraph, makeModel, makeTensor, setWeight, toArray, weights } from "@quantkit/onnx";
 * const model = makeModel(makeGraph({ name: "g", initializer: [makeTensor("w", DataType.FLOAT, [1], [1])] }));
 * setWeight(weights(model)[0]!, makeTensor("", DataType.FLOAT16, [1], [2]));
 * model.graph?.initializer[0]?.dataType; // 10
 * ```
 */
export function setWeight(entry: WeightEntry, tensor: TensorProto): void {
  tensor.name = entry.name;
  if (entry.kind === "initializer") {
    const list = entry.graph!.initializer;
    const i = list.indexOf(entry.tensor);
    if (i < 0)
      throw new Error(
        `setWeight: initializer ${_show(entry.name)} is no longer in its graph (${entry.path})`,
      );
    list[i] = tensor;
    (entry as { tensor: TensorProto }).tensor = tensor;
    return;
  }
  const node = entry.node!;
  node.attribute = [makeAttribute("value", tensor)];
  (entry as { tensor: TensorProto }).tensor = tensor;
}
