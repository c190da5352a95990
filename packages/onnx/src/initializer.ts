import type { GraphProto, TensorProto } from "./_gen/onnx_pb";

/**
 * The initializer of a given name in a graph, or undefined.
 *
 * @example
 * ```ts
 * import { DataType, getInitializer, makeGraph, makeTensor } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g", initializer: [makeTensor("w", DataType.FLOAT, [1], [3])] });
 * getInitializer(g, "w")?.dataType; // 1
 * ```
 */
export function getInitializer(graph: GraphProto, name: string): TensorProto | undefined {
  return graph.initializer.find((t) => t.name === name);
}

/**
 * Adds an initializer, or replaces the one of the same name in place; returns the tensor.
 *
 * @example
 * ```ts
 * import { DataType, makeGraph, makeTensor, setInitializer } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g" });
 * setInitializer(g, makeTensor("scale", DataType.FLOAT, [], [0.1]));
 * g.initializer.length; // 1
 * ```
 */
export function setInitializer(graph: GraphProto, tensor: TensorProto): TensorProto {
  if (tensor.name === "")
    throw new TypeError(`setInitializer: the tensor needs a name (graph ${JSON.stringify(graph.name)})`);
  const i = graph.initializer.findIndex((t) => t.name === tensor.name);
  if (i >= 0) graph.initializer[i] = tensor;
  else graph.initializer.push(tensor);
  return tensor;
}

/**
 * Removes the initializer of a given name (and its graph input entry, which IR < 4 models carry);
 * returns whether one was removed.
 *
 * @example
 * ```ts
 * import { DataType, makeGraph, makeTensor, removeInitializer } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g", initializer: [makeTensor("w", DataType.FLOAT, [1], [3])] });
 * removeInitializer(g, "w"); // true
 * ```
 */
export function removeInitializer(graph: GraphProto, name: string): boolean {
  const i = graph.initializer.findIndex((t) => t.name === name);
  if (i < 0) return false;
  graph.initializer.splice(i, 1);
  const j = graph.input.findIndex((v) => v.name === name);
  if (j >= 0) graph.input.splice(j, 1);
  return true;
}
