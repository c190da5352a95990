/**
 * A minimal ONNX model writer for the comparison tests and the benchmark: just enough protobuf (varints
 * and length-delimited fields) for a one-node graph whose inputs are all graph inputs. Field numbers
 * from onnx/onnx.proto: ModelProto{ir_version=1, graph=7, opset_import=8}, GraphProto{node=1, name=2,
 * input=11, output=12}, NodeProto{input=1, output=2, name=3, op_type=4, attribute=5, domain=7},
 * AttributeProto{name=1, i=3, type=20}, ValueInfoProto{name=1, type=2}, TypeProto{tensor_type=1},
 * TypeProto.Tensor{elem_type=1, shape=2}, TensorShapeProto{dim=1}, Dimension{dim_value=1},
 * OperatorSetIdProto{domain=1, version=2}.
 */

/** ONNX TensorProto.DataType codes. */
export const OnnxType = { float: 1, uint8: 2, int8: 3, int32: 6 } as const;
export type OnnxTypeName = keyof typeof OnnxType;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(value));
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

const field = (num: number, wire: number) => varint((num << 3) | wire);
const intField = (num: number, value: number) => [...field(num, 0), ...varint(value)];
const bytesField = (num: number, bytes: number[]) => [...field(num, 2), ...varint(bytes.length), ...bytes];
const stringField = (num: number, s: string) => bytesField(num, [...new TextEncoder().encode(s)]);

/** A graph input or output: name, element type, shape (empty for a scalar). */
export interface OnnxValue {
  name: string;
  type: OnnxTypeName;
  dims: readonly number[];
}

function valueInfo(v: OnnxValue): number[] {
  const shape = v.dims.flatMap((d) => bytesField(1, intField(1, d)));
  const tensorType = [...intField(1, OnnxType[v.type]), ...bytesField(2, shape)];
  return [...stringField(1, v.name), ...bytesField(2, bytesField(1, tensorType))];
}

/** The bytes of a model with one node `opType` (inputs and outputs in the node's order). */
export function onnxModel(
  opType: string,
  inputs: readonly OnnxValue[],
  outputs: readonly OnnxValue[],
  options: { domain?: string; opset?: number; intAttributes?: Record<string, number> } = {},
): Uint8Array {
  const attributes = Object.entries(options.intAttributes ?? {}).flatMap(([name, value]) =>
    bytesField(5, [...stringField(1, name), ...intField(3, value), ...intField(20, 2 /* INT */)]),
  );
  const node = [
    ...inputs.flatMap((v) => stringField(1, v.name)),
    ...outputs.flatMap((v) => stringField(2, v.name)),
    ...stringField(3, "node0"),
    ...stringField(4, opType),
    ...attributes,
    ...(options.domain ? stringField(7, options.domain) : []),
  ];
  const graph = [
    ...bytesField(1, node),
    ...stringField(2, "g"),
    ...inputs.flatMap((v) => bytesField(11, valueInfo(v))),
    ...outputs.flatMap((v) => bytesField(12, valueInfo(v))),
  ];
  const opsets = [bytesField(8, [...stringField(1, ""), ...intField(2, options.opset ?? 13)])];
  if (options.domain) opsets.push(bytesField(8, [...stringField(1, options.domain), ...intField(2, 1)]));
  return new Uint8Array([...intField(1, 8), ...bytesField(7, graph), ...opsets.flat()]);
}
