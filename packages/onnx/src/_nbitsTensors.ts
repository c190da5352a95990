// The initializers a block-quantized MatMul weight becomes: MatMulNBits' packed B, scales and zero
// points, or the int4 / uint4 tensors of a blocked DequantizeLinear.
import { create } from "@bufbuild/protobuf";
import { float16 } from "@quantkit/numeric";
import { type BlockQuantized, packBlockedDequantizeLinear, packMatMulNBits } from "@quantkit/weights";
import { _show } from "./_errors";
import { type GraphProto, type TensorProto, TensorProtoSchema } from "./_gen/onnx_pb";
import type { NameScope } from "./createNameScope";
import { DataType } from "./dataType";
import { fromArray } from "./fromArray";
import type { _Parsed } from "./quantizeMatMulNBitsOptions";

/** The initializers a quantized weight became, shared by every MatMul that reads it. */
export interface _Packed {
  inputs: string[];
  attributes: { K: number; N: number; bits: number; block_size: number };
  sqnrDb: number;
}

/** Adds the initializers of a quantized weight to the graph that held it. */
export function _store(
  q: BlockQuantized<Uint8Array | Float32Array>,
  effective: Float32Array,
  original: Float32Array,
  b: string,
  graph: GraphProto,
  names: NameScope,
  o: _Parsed,
): _Packed {
  const add = (suffix: string, t: ReturnType<typeof fromArray>) => {
    t.name = names.unique(`${b}_${suffix}`);
    graph.initializer.push(t);
    return t.name;
  };
  const sqnrDb = _sqnrDb(original, effective);
  if (o.format === "MatMulNBits") {
    const p = packMatMulNBits(q);
    const inputs = [
      add(`Q${o.bits}`, fromArray(p.B.data, { dims: p.B.dims })),
      add("scales", _fromScales(p.scales.data, p.scales.dims)),
    ];
    if (p.zeroPoints !== null) {
      const z = p.zeroPoints;
      inputs.push(
        add(
          "zero_points",
          z.type === "uint8"
            ? fromArray(z.data as Uint8Array, { dims: z.dims })
            : _fromScales(z.data as Float32Array | Uint16Array, z.dims),
        ),
      );
    }
    return { inputs, attributes: p.attributes, sqnrDb };
  }
  const p = packBlockedDequantizeLinear(q);
  const inputs = [
    add(`DQ_Q${o.bits}`, _packedCodes(p.x.data, p.x.dims, p.x.type)),
    add("DQ_scales", _fromScales(p.xScale.data, p.xScale.dims)),
  ];
  if (p.xZeroPoint !== null) {
    inputs.push(add("DQ_zero_points", _packedCodes(p.xZeroPoint.data, p.xZeroPoint.dims, p.xZeroPoint.type)));
  }
  return { inputs, attributes: { K: q.K, N: q.N, bits: q.bits, block_size: q.blockSize }, sqnrDb };
}

export function _fromScales(data: Float32Array | Uint16Array, dims: readonly number[]) {
  return data instanceof Float32Array
    ? fromArray(data, { dims })
    : fromArray(data, { dims, dataType: DataType.FLOAT16 });
}

const _CODE_TYPES: Record<string, number> = {
  int4: DataType.INT4,
  uint4: DataType.UINT4,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
};

/** A tensor whose raw_data is `bytes` as they are: codes already packed (int4 two per byte, low nibble first). */
export function _packedCodes(bytes: Uint8Array, dims: readonly number[], type: string): TensorProto {
  const dataType = _CODE_TYPES[type];
  if (dataType === undefined) throw new Error(`quantizeMatMulNBits: unexpected code type ${_show(type)}`);
  return create(TensorProtoSchema, { dataType, dims: dims.map(BigInt), rawData: bytes });
}

export function _tensor(
  name: string,
  data: Float32Array,
  dims: readonly number[],
  scaleType: "float32" | "float16",
) {
  const t =
    scaleType === "float32" ? fromArray(data, { dims }) : _fromScales(float16.encodeArray(data), dims);
  t.name = name;
  return t;
}

/** SQNR in dB of `approx` against `ref`: 10 log10(sum ref^2 / sum (ref - approx)^2). */
export function _sqnrDb(ref: Float32Array, approx: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const d = r - approx[i]!;
    signal += r * r;
    noise += d * d;
  }
  return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
}
