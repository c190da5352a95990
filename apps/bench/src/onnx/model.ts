/**
 * Builds tiny ONNX models in memory (protobuf wire format written by hand: no onnx package, no file on
 * disk) so that the kernels suite can run onnxruntime-node's MatMul and MatMulInteger as the native
 * ceiling on the same inputs as quantkit's GEMM.
 */

/** ONNX TensorProto.DataType codes used here. */
export const ONNX_FLOAT = 1;
export const ONNX_UINT8 = 2;
export const ONNX_INT8 = 3;
export const ONNX_INT32 = 6;

/** A graph input or output: name, element type (ONNX code) and a static shape. */
export interface OnnxValue {
  name: string;
  elemType: number;
  shape: readonly number[];
}

/** One node: `opType` from the default domain, its input and output names. */
export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
}

const utf8 = new TextEncoder();

/** Protobuf writer: varints, length-delimited fields. Enough for ONNX's ModelProto. */
class _Writer {
  private parts: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n; // int64 negatives are ten-byte two's complement varints
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.parts.push(byte);
    } while (v > 0n);
    return this;
  }

  tag(field: number, wireType: 0 | 2): this {
    return this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    for (const b of data) this.parts.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  message(field: number, build: (w: _Writer) => void): this {
    const inner = new _Writer();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function valueInfo(w: _Writer, v: OnnxValue): void {
  w.string(1, v.name); // ValueInfoProto.name
  w.message(2, (type) =>
    // TypeProto.tensor_type
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType); // TypeProto.Tensor.elem_type
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => dim.int(1, d)); // TensorShapeProto.dim.dim_value
      });
    }),
  );
}

/**
 * Serializes a one-graph ONNX model (IR version 8, default-domain opset `opset`).
 *
 * @example
 * const bytes = onnxModel({
 *   nodes: [{ opType: "MatMul", inputs: ["A", "B"], outputs: ["Y"] }],
 *   inputs: [{ name: "A", elemType: ONNX_FLOAT, shape: [2, 3] }, { name: "B", elemType: ONNX_FLOAT, shape: [3, 4] }],
 *   outputs: [{ name: "Y", elemType: ONNX_FLOAT, shape: [2, 4] }],
 * });
 * await ort.InferenceSession.create(bytes);
 */
export function onnxModel(graph: {
  nodes: readonly OnnxNode[];
  inputs: readonly OnnxValue[];
  outputs: readonly OnnxValue[];
  opset?: number;
  name?: string;
}): Uint8Array {
  const w = new _Writer();
  w.int(1, 8); // ModelProto.ir_version
  w.string(2, "quantkit-bench"); // producer_name
  w.message(7, (g) => {
    // ModelProto.graph
    for (const [i, node] of graph.nodes.entries()) {
      g.message(1, (n) => {
        for (const x of node.inputs) n.string(1, x);
        for (const y of node.outputs) n.string(2, y);
        n.string(3, `${node.opType}_${i}`);
        n.string(4, node.opType);
      });
    }
    g.string(2, graph.name ?? "bench");
    for (const v of graph.inputs) g.message(11, (x) => valueInfo(x, v));
    for (const v of graph.outputs) g.message(12, (x) => valueInfo(x, v));
  });
  w.message(8, (o) => o.string(1, "").int(2, graph.opset ?? 13)); // opset_import
  return w.finish();
}

/**
 * ONNX `MatMul` of A [m, k] by B [k, n], both float32.
 *
 * @example
 * matmulF32Model(64, 64, 64).length > 0; // true
 */
export function matmulF32Model(m: number, k: number, n: number): Uint8Array {
  return onnxModel({
    nodes: [{ opType: "MatMul", inputs: ["A", "B"], outputs: ["Y"] }],
    inputs: [
      { name: "A", elemType: ONNX_FLOAT, shape: [m, k] },
      { name: "B", elemType: ONNX_FLOAT, shape: [k, n] },
    ],
    outputs: [{ name: "Y", elemType: ONNX_FLOAT, shape: [m, n] }],
  });
}

/**
 * ONNX `MatMulInteger` of A [m, k] (uint8, per-tensor zero point) by B [k, n] (int8, zero point 0 given
 * explicitly) to int32: the same operands quantkit's `matmulInteger` takes.
 *
 * @example
 * matmulIntegerModel(64, 64, 64).length > 0; // true
 */
export function matmulIntegerModel(m: number, k: number, n: number): Uint8Array {
  return onnxModel({
    nodes: [{ opType: "MatMulInteger", inputs: ["A", "B", "a_zero_point", "b_zero_point"], outputs: ["Y"] }],
    inputs: [
      { name: "A", elemType: ONNX_UINT8, shape: [m, k] },
      { name: "B", elemType: ONNX_INT8, shape: [k, n] },
      { name: "a_zero_point", elemType: ONNX_UINT8, shape: [] },
      { name: "b_zero_point", elemType: ONNX_INT8, shape: [] },
    ],
    outputs: [{ name: "Y", elemType: ONNX_INT32, shape: [m, n] }],
  });
}
