// The planning and the node writers of quantizeStatic: which input slots of a Conv / MatMul / Gemm are
// activations, weights and bias; QuantizeLinear/DequantizeLinear pairs; weight codes and int32 biases.
import { type QParams, quantize } from "@quantkit/quantizers";
import { _show } from "./_errors";
import type { NodeProto } from "./_gen/onnx_pb";
import { _attr, type _Constant, _intAttr, _node, type _Scope } from "./_quantGraph";
import { _floatWeight, _tensor } from "./_rewrite";
import { _quantizeWeight, type _WeightType } from "./_weights";
import type { TensorRange } from "./calibrate";
import type { NameScope } from "./createNameScope";

/** How one Conv / MatMul / Gemm is quantized. */
export interface _Plan {
  node: NodeProto;
  /** Input slots read as activations (quantized with calibrated ranges). */
  activations: number[];
  /** The weight slot (a constant), or -1. */
  weight: number;
  /** Per-channel axis of the weight. */
  axis: number;
  /** The bias slot (Conv B, Gemm C), or -1. */
  bias: number;
  /** The Relu folded into the output, if any. */
  relu: NodeProto | null;
}

/** The slots of a Conv / MatMul / Gemm, or why it stays float. */
export function _plan(node: NodeProto, scope: _Scope): _Plan | string {
  const isConst = (name: string | undefined) =>
    name !== undefined && name !== "" && typeof _floatWeight(scope, name) !== "string";
  if (node.opType === "Conv") {
    const w = _floatWeight(scope, node.input[1]!);
    if (typeof w === "string") return `weight ${w}`;
    if (node.input[2] && !isConst(node.input[2]))
      return `bias ${_show(node.input[2])} is not a float32 constant`;
    return { node, activations: [0], weight: 1, axis: 0, bias: node.input[2] ? 2 : -1, relu: null };
  }
  if (node.opType === "MatMul") {
    if (isConst(node.input[0])) return "input A is a constant";
    if (isConst(node.input[1])) {
      const w = _floatWeight(scope, node.input[1]!);
      if (typeof w !== "string" && w.dims.length !== 2)
        return `weight ${_show(node.input[1])} has rank ${w.dims.length}; int8 quantizes 2-D MatMul weights`;
      return { node, activations: [0], weight: 1, axis: 1, bias: -1, relu: null };
    }
    return { node, activations: [0, 1], weight: -1, axis: 0, bias: -1, relu: null };
  }
  // Gemm
  if (isConst(node.input[0])) return "input A is a constant";
  const transB = _intAttr(node, "transB", 0) !== 0;
  const c = node.input[2];
  const beta = node.attribute.find((a) => a.name === "beta")?.f ?? 1;
  const biasOk = c !== undefined && c !== "" && isConst(c) && beta === 1;
  if (isConst(node.input[1]))
    return { node, activations: [0], weight: 1, axis: transB ? 0 : 1, bias: biasOk ? 2 : -1, relu: null };
  return { node, activations: [0, 1], weight: -1, axis: 0, bias: -1, relu: null };
}

export interface _Ctx {
  scope: _Scope;
  names: NameScope;
  out: NodeProto[];
  replaced: Set<_Constant>;
  weightType: _WeightType;
  perChannel: boolean;
  scales: Map<string, number>;
}

export function _init(
  ctx: _Ctx,
  base: string,
  data: Float32Array | Int8Array | Uint8Array | Int32Array,
  dims: readonly number[],
): string {
  const name = ctx.names.unique(base);
  ctx.scope.graph.initializer.push(_tensor(name, data, dims));
  return name;
}

/** QuantizeLinear(x) -> DequantizeLinear -> `dqName` with the tensor's calibrated scale and zero point. */
export function _qdq(x: string, dqName: string, range: TensorRange, ctx: _Ctx, base = x): string {
  const q = range.qparams;
  const scale = _init(ctx, `${base}_scale`, Float32Array.of(q.scale[0]!), []);
  const zp = _init(
    ctx,
    `${base}_zero_point`,
    q.dtype === "qint8" ? Int8Array.of(q.zeroPoint[0]!) : Uint8Array.of(q.zeroPoint[0]!),
    [],
  );
  const quantized = ctx.names.unique(`${x}_q`);
  ctx.out.push(
    _node("QuantizeLinear", [x, scale, zp], [quantized], ""),
    _node("DequantizeLinear", [quantized, scale, zp], [dqName], ""),
  );
  ctx.scales.set(dqName, q.scale[0]!);
  return dqName;
}

/** Stores the weight as codes + DequantizeLinear; returns its scales. */
export function _weight(node: NodeProto, plan: _Plan, ctx: _Ctx): Float32Array {
  const name = node.input[plan.weight]!;
  const w = _floatWeight(ctx.scope, name) as Exclude<ReturnType<typeof _floatWeight>, string>;
  const axis = ctx.perChannel ? plan.axis : null;
  const qw = _quantizeWeight(
    w.values,
    w.dims,
    axis,
    ctx.weightType,
    `${node.opType} ${_show(node.name)} weight ${_show(name)}`,
  );
  const channels = axis === null ? 1 : w.dims[axis]!;
  const cd = axis === null ? [] : [channels];
  const zps = ctx.weightType === "int8" ? new Int8Array(channels) : new Uint8Array(channels).fill(128);
  const q = _init(ctx, `${name}_quantized`, qw.codes, w.dims);
  const s = _init(ctx, `${name}_scale`, qw.scale, cd);
  const z = _init(ctx, `${name}_zero_point`, zps, cd);
  const dq = ctx.names.unique(`${name}_dq`);
  ctx.out.push(_node("DequantizeLinear", [q, s, z], [dq], "", axis === null ? [] : [_attr("axis", axis)]));
  node.input[plan.weight] = dq;
  ctx.replaced.add(w.constant);
  return qw.scale;
}

/** int32 bias codes with scale s_in * s_w[c] and zero point 0, ONNX's arithmetic. */
export function _bias(
  node: NodeProto,
  plan: _Plan,
  inputScale: number,
  wScale: Float32Array,
  ctx: _Ctx,
): void {
  const name = node.input[plan.bias]!;
  const b = _floatWeight(ctx.scope, name) as Exclude<ReturnType<typeof _floatWeight>, string>;
  if (b.dims.length !== 1 || !Number.isFinite(inputScale)) return;
  const n = b.dims[0]!;
  const perChannel = wScale.length > 1;
  if (perChannel && wScale.length !== n) return;
  const scale = perChannel
    ? wScale.map((s) => Math.fround(inputScale * s))
    : Float32Array.of(Math.fround(inputScale * wScale[0]!));
  const qparams: QParams = {
    scale,
    zeroPoint: new Int32Array(scale.length),
    quantMin: -2147483648,
    quantMax: 2147483647,
    qscheme: perChannel ? "per_channel_affine" : "per_tensor_affine",
    dtype: "qint32",
    ...(perChannel ? { axis: 0 } : {}),
  };
  const codes = quantize(b.values, [n], qparams, { arithmetic: "onnx" }) as Int32Array;
  const cd = perChannel ? [n] : [];
  const q = _init(ctx, `${name}_quantized`, codes, [n]);
  const s = _init(ctx, `${name}_scale`, scale, cd);
  // No zero-point input: DequantizeLinear's default is 0 (saves 4 bytes per channel of int32 zeros).
  const dq = ctx.names.unique(`${name}_dq`);
  ctx.out.push(_node("DequantizeLinear", [q, s], [dq], "", perChannel ? [_attr("axis", 0)] : []));
  node.input[plan.bias] = dq;
  ctx.replaced.add(b.constant);
}
