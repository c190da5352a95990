import { _encodedSize } from "./_encodeMessage";
import { type ModelProto, ModelProtoSchema, type TensorProto, type ValueInfoProto } from "./_gen/onnx_pb";
import { _elementCount } from "./_storage";
import { allNodes } from "./allNodes";
import { _rawByteLength, dataTypeName } from "./dataType";
import { graphs } from "./graphs";
import { _typeOf, type ValueType } from "./valueInfo";
import { weights } from "./weights";

/** Weight statistics for one data type. */
export interface DataTypeStats {
  /** Number of weight tensors of this type. */
  tensors: number;
  /** Number of elements (parameters) they hold. */
  parameters: number;
  /** Bytes of their data (as raw_data would hold it; external data included). */
  sizeBytes: number;
}

/** What {@link inspect} reports. */
export interface ModelReport {
  irVersion: number;
  /** Opset per domain ("" is ai.onnx). */
  opsets: Record<string, number>;
  producer: string;
  /** Graphs: 1 + subgraphs. */
  graphs: number;
  /** Nodes in all graphs and function bodies. */
  nodes: number;
  /** Node count per operator ("Conv", "com.microsoft.MatMulNBits"), most frequent first. */
  ops: Record<string, number>;
  /** Weights (initializers and Constant nodes) and their elements. */
  weights: number;
  parameters: number;
  /** Weight statistics per data type name ("float32", "int8"...). */
  dtypes: Record<string, DataTypeStats>;
  /** Bytes of the serialized model (what writeModel would write; external data files not included). */
  modelBytes: number;
  /** Bytes of all weight data; of it, bytes stored in external files. */
  weightBytes: number;
  externalBytes: number;
  inputs: Array<{ name: string } & Partial<ValueType>>;
  outputs: Array<{ name: string } & Partial<ValueType>>;
}

/**
 * A summary of a model: IR version, opsets, operators and their counts across every graph, weight and
 * parameter counts per data type, sizes (the serialized model, its weights, external data), inputs and
 * outputs.
 *
 * @example
 * ```ts
 * import { DataType, inspect, makeGraph, makeModel, makeNode, makeTensor } from "@quantkit/onnx";
 * const g = makeGraph({
 *   name: "g",
 *   node: [makeNode("MatMul", ["x", "w"], ["y"])],
 *   initializer: [makeTensor("w", DataType.FLOAT, [2, 2], [1, 2, 3, 4])],
 * });
 * inspect(makeModel(g)).dtypes; // { float32: { tensors: 1, parameters: 4, sizeBytes: 16 } }
 * ```
 */
export function inspect(model: ModelProto): ModelReport {
  const ops: Record<string, number> = {};
  const nodes = allNodes(model);
  for (const { node } of nodes) {
    const key =
      node.domain === "" || node.domain === "ai.onnx" ? node.opType : `${node.domain}.${node.opType}`;
    ops[key] = (ops[key] ?? 0) + 1;
  }
  const dtypes: Record<string, DataTypeStats> = {};
  let parameters = 0;
  let weightBytes = 0;
  let externalBytes = 0;
  const ws = weights(model);
  for (const w of ws) {
    const t = w.tensor;
    const name = _typeName(t);
    const count = _elementCount(t, "inspect");
    const bytes = _sizeOf(t, count);
    const s = (dtypes[name] ??= { tensors: 0, parameters: 0, sizeBytes: 0 });
    s.tensors++;
    s.parameters += count;
    s.sizeBytes += bytes;
    parameters += count;
    weightBytes += bytes;
    if (t.dataLocation === 1) externalBytes += bytes;
  }
  const g = model.graph;
  const io = (list: ValueInfoProto[]) => list.map((v) => ({ name: v.name, ..._typeOf(v) }));
  return {
    irVersion: Number(model.irVersion),
    opsets: Object.fromEntries(
      model.opsetImport.map((o) => [o.domain === "ai.onnx" ? "" : o.domain, Number(o.version)]),
    ),
    producer: [model.producerName, model.producerVersion].filter((s) => s !== "").join(" "),
    graphs: graphs(model).length,
    nodes: nodes.length,
    ops: Object.fromEntries(Object.entries(ops).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    weights: ws.length,
    parameters,
    dtypes,
    modelBytes: _encodedSize(ModelProtoSchema, model),
    weightBytes,
    externalBytes,
    inputs: g === undefined ? [] : io(g.input.filter((v) => !g.initializer.some((t) => t.name === v.name))),
    outputs: g === undefined ? [] : io(g.output),
  };
}

function _typeName(t: TensorProto): string {
  try {
    return dataTypeName(t.dataType);
  } catch {
    return `unknown(${t.dataType})`;
  }
}

function _sizeOf(t: TensorProto, count: number): number {
  if (t.dataType === 8) return t.stringData.reduce((s, b) => s + b.length, 0);
  try {
    return _rawByteLength(t.dataType, count, "inspect");
  } catch {
    return t.rawData.length;
  }
}
