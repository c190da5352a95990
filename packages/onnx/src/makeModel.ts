import { create } from "@bufbuild/protobuf";
import { _checkOptions, _show } from "./_errors";
import {
  type GraphProto,
  GraphProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  type OperatorSetIdProto,
  OperatorSetIdProtoSchema,
  type TensorProto,
  type ValueInfoProto,
} from "./_gen/onnx_pb";
import { IR_VERSION, irVersionForOpset } from "./irVersion";

/** The parts of a graph for {@link makeGraph}; all optional but the name. */
export interface MakeGraphParts {
  name: string;
  node?: NodeProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  initializer?: TensorProto[];
  valueInfo?: ValueInfoProto[];
}

/**
 * A new graph, like onnx.helper.make_graph.
 *
 * @example
 * ```ts
 * import { DataType, makeGraph, makeNode, makeValueInfo } from "@quantkit/onnx";
 * const g = makeGraph({
 *   name: "relu",
 *   node: [makeNode("Relu", ["x"], ["y"])],
 *   input: [makeValueInfo("x", DataType.FLOAT, [1, 4])],
 *   output: [makeValueInfo("y", DataType.FLOAT, [1, 4])],
 * });
 * g.node.length; // 1
 * ```
 */
export function makeGraph(parts: MakeGraphParts): GraphProto {
  _checkOptions("makeGraph", parts, ["name", "node", "input", "output", "initializer", "valueInfo"]);
  return create(GraphProtoSchema, {
    name: parts.name,
    node: parts.node ?? [],
    input: parts.input ?? [],
    output: parts.output ?? [],
    initializer: parts.initializer ?? [],
    valueInfo: parts.valueInfo ?? [],
  });
}

/** Options of {@link makeModel}. */
export interface MakeModelOptions {
  /** Operator sets by domain; default `{ "": 21 }`. */
  opsets?: Record<string, number>;
  /** IR version; default the one of the ai.onnx opset's release (irVersionForOpset), else IR_VERSION. */
  irVersion?: number;
  /** producer_name; default "quantkit". */
  producerName?: string;
  /** producer_version. */
  producerVersion?: string;
}

/**
 * A new model around a graph, like onnx.helper.make_model.
 *
 * @example
 * ```ts
 * import { makeGraph, makeModel } from "@quantkit/onnx";
 * const model = makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 } });
 * model.irVersion; // 8n
 * ```
 */
export function makeModel(graph: GraphProto, options?: MakeModelOptions): ModelProto {
  _checkOptions("makeModel", options, ["opsets", "irVersion", "producerName", "producerVersion"]);
  const opsets = options?.opsets ?? { "": 21 };
  const onnxOpset = opsets[""] ?? opsets["ai.onnx"];
  const irVersion =
    options?.irVersion ?? (onnxOpset !== undefined ? irVersionForOpset(onnxOpset) : IR_VERSION);
  if (!Number.isInteger(irVersion) || irVersion < 1 || irVersion > IR_VERSION) {
    throw new RangeError(
      `makeModel: irVersion must be an integer in 1..${IR_VERSION}, got ${_show(irVersion)}`,
    );
  }
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(irVersion),
    opsetImport: Object.entries(opsets).map(([domain, version]) => makeOpsetId(domain, version)),
    producerName: options?.producerName ?? "quantkit",
    graph,
  });
  if (options?.producerVersion !== undefined) model.producerVersion = options.producerVersion;
  return model;
}

/**
 * An opset import entry, like onnx.helper.make_opsetid.
 *
 * @example
 * ```ts
 * import { makeOpsetId } from "@quantkit/onnx";
 * makeOpsetId("com.microsoft", 1).version; // 1n
 * ```
 */
export function makeOpsetId(domain: string, version: number): OperatorSetIdProto {
  if (!Number.isInteger(version) || version < 1) {
    throw new RangeError(
      `makeOpsetId(${_show(domain)}): version must be an integer >= 1, got ${_show(version)}`,
    );
  }
  return create(OperatorSetIdProtoSchema, { domain, version: BigInt(version) });
}
