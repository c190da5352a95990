// A minimal ONNX writer for the onnxruntime-node checks: one node, graph inputs and initializers.
// Field numbers from onnx/onnx.proto: ModelProto{ir_version=1, graph=7, opset_import=8},
// GraphProto{node=1, name=2, initializer=5, input=11, output=12}, NodeProto{input=1, output=2, name=3,
// op_type=4, attribute=5, domain=7}, AttributeProto{name=1, i=3, type=20 (INT=2)},
// TensorProto{dims=1, data_type=2, name=8, raw_data=9}, ValueInfoProto{name=1, type=2},
// TypeProto{tensor_type=1}, TypeProto.Tensor{elem_type=1, shape=2}, TensorShapeProto{dim=1},
// Dimension{dim_value=1}, OperatorSetIdProto{domain=1, version=2}.

export const ELEM = { float: 1, uint8: 2, int8: 3, float16: 10, uint4: 21, int4: 22, float32: 1 } as const;
export type ElemName = keyof typeof ELEM;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte += 128;
    out.push(byte);
  } while (v !== 0);
  return out;
}
const key = (num: number, wire: number) => varint(num * 8 + wire);
const int = (num: number, value: number) => [...key(num, 0), ...varint(value)];
const bytes = (num: number, b: ArrayLike<number>) => [...key(num, 2), ...varint(b.length), ...Array.from(b)];
const str = (num: number, s: string) => bytes(num, new TextEncoder().encode(s));

export interface Value {
  name: string;
  type: ElemName;
  dims: readonly number[];
}
export interface Initializer extends Value {
  raw: Uint8Array;
}

function valueInfo(v: Value): number[] {
  const shape = v.dims.flatMap((d) => bytes(1, int(1, d)));
  return [...str(1, v.name), ...bytes(2, bytes(1, [...int(1, ELEM[v.type]), ...bytes(2, shape)]))];
}

export function rawOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A model with one node: `nodeInputs` name the node's inputs in order ("" for an absent optional one). */
export function oneNodeModel(options: {
  opType: string;
  domain?: string;
  opset: number;
  nodeInputs: readonly string[];
  inputs: readonly Value[];
  initializers: readonly Initializer[];
  output: Value;
  intAttributes: Record<string, number>;
}): Uint8Array {
  const attributes = Object.entries(options.intAttributes).flatMap(([name, value]) =>
    bytes(5, [...str(1, name), ...int(3, value), ...int(20, 2)]),
  );
  const node = [
    ...options.nodeInputs.flatMap((n) => str(1, n)),
    ...str(2, options.output.name),
    ...str(3, "node0"),
    ...str(4, options.opType),
    ...attributes,
    ...(options.domain ? str(7, options.domain) : []),
  ];
  const inits = options.initializers.flatMap((t) =>
    bytes(5, [
      ...t.dims.flatMap((d) => int(1, d)),
      ...int(2, ELEM[t.type]),
      ...str(8, t.name),
      ...bytes(9, t.raw),
    ]),
  );
  const graph = [
    ...bytes(1, node),
    ...str(2, "g"),
    ...inits,
    ...options.inputs.flatMap((v) => bytes(11, valueInfo(v))),
    ...bytes(12, valueInfo(options.output)),
  ];
  const opsets = [...bytes(8, [...str(1, ""), ...int(2, options.opset)])];
  if (options.domain) opsets.push(...bytes(8, [...str(1, options.domain), ...int(2, 1)]));
  return new Uint8Array([...int(1, 10), ...bytes(7, graph), ...opsets]);
}
