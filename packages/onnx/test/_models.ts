// Small models built in code for the tests, and the real models' paths.
import { create } from "@bufbuild/protobuf";
import {
  GraphProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  OperatorSetIdProtoSchema,
  type TensorProto,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from "../src/_gen/onnx_pb";

/** A typed graph input/output: elemType 1 float, 7 int64, 9 bool; dims numbers or symbolic strings. */
export function tensorInfo(name: string, elemType: number, dims?: readonly (number | string)[]) {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: "tensorType",
        value: {
          elemType,
          shape:
            dims === undefined
              ? undefined
              : ({
                  dim: dims.map((d) =>
                    typeof d === "number"
                      ? { value: { case: "dimValue", value: BigInt(d) } }
                      : { value: { case: "dimParam", value: d } },
                  ),
                } as never),
        },
      },
    }),
  });
}

export function graph(options: {
  nodes: NodeProto[];
  inputs: ReturnType<typeof tensorInfo>[];
  outputs: ReturnType<typeof tensorInfo>[];
  initializers?: TensorProto[];
  name?: string;
}) {
  return create(GraphProtoSchema, {
    name: options.name ?? "g",
    node: options.nodes,
    input: options.inputs,
    output: options.outputs,
    initializer: options.initializers ?? [],
  });
}

export function model(g: ReturnType<typeof graph>, opset = 13): ModelProto {
  return create(ModelProtoSchema, {
    irVersion: 8n,
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: "", version: BigInt(opset) })],
    graph: g,
  });
}
