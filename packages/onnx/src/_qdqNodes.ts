// The planning and the node writers of quantizeStatic: which input slots of a node are activations,
// constants, weights and bias; QuantizeLinear/DequantizeLinear pairs; weight codes and int32 biases.
import { calculateQParams, type QParams, quantize } from "@quantkit/quantizers";
import { _show } from "./_errors";
import type { _Float32Scratch } from "./_float32View";
import type { NodeProto } from "./_gen/onnx_pb";
import type { _Kind, _Plan } from "./_qdqLayout";
import { _attr, type _Constant, _findConstant, _intAttr, _node, type _Scope } from "./_quantGraph";
import { _floatConstant, _floatWeightView, _isFloatConstant, _tensor } from "./_rewrite";
import { _quantizeWeight, type _WeightType } from "./_weights";
import type { TensorRange } from "./calibrate";
import type { NameScope } from "./createNameScope";

function _newPlan(node: NodeProto, kind: _Kind, fields: Partial<_Plan>): _Plan {
  return {
    node,
    kind,
    activations: [],
    constants: [],
    weight: -1,
    axis: 0,
    bias: -1,
    followers: [],
    steps: [],
    ...fields,
  };
}

/** The slots of a node of a QDQ kind, or why it stays float. */
export function _plan(node: NodeProto, scope: _Scope, kind: _Kind): _Plan | string {
  const isConst = (name: string | undefined) =>
    name !== undefined && name !== "" && _findConstant(scope, name) !== null;
  const isFloatConst = (name: string | undefined) =>
    name !== undefined && name !== "" && _isFloatConstant(scope, name);
  if (kind === "binary") {
    const plan = _newPlan(node, kind, {});
    for (const i of [0, 1]) {
      const x = node.input[i];
      if (x === undefined || x === "") return `input ${i} is missing`;
      if (!isConst(x)) plan.activations.push(i);
      else if (isFloatConst(x)) plan.constants.push(i);
      else return `input ${_show(x)} is a constant but not float32`;
    }
    return plan.activations.length === 0 ? "both inputs are constants" : plan;
  }
  if (kind === "unary" || kind === "passthrough") {
    if (isConst(node.input[0])) return "its input is a constant";
    return _newPlan(node, kind, { activations: kind === "unary" ? [0] : [] });
  }
  if (kind === "variadic") {
    const c = node.input.find((x) => isConst(x));
    if (c !== undefined) return `input ${_show(c)} is a constant`;
    return _newPlan(node, kind, { activations: node.input.map((_, i) => i) });
  }
  if (node.opType === "Conv") {
    const w = _floatConstant(scope, node.input[1]!);
    if (typeof w === "string") return `weight ${w}`;
    if (node.input[2] && !isFloatConst(node.input[2]))
      return `bias ${_show(node.input[2])} is not a float32 constant`;
    return _newPlan(node, kind, { activations: [0], weight: 1, axis: 0, bias: node.input[2] ? 2 : -1 });
  }
  if (node.opType === "MatMul") {
    if (isFloatConst(node.input[0])) return "input A is a constant";
    if (isFloatConst(node.input[1])) {
      const w = _floatConstant(scope, node.input[1]!);
      if (typeof w !== "string" && w.tensor.dims.length !== 2)
        return `weight ${_show(node.input[1])} has rank ${w.tensor.dims.length}; int8 quantizes 2-D MatMul weights`;
      return _newPlan(node, kind, { activations: [0], weight: 1, axis: 1 });
    }
    return _newPlan(node, kind, { activations: [0, 1] });
  }
  // Gemm
  if (isFloatConst(node.input[0])) return "input A is a constant";
  const transB = _intAttr(node, "transB", 0) !== 0;
  const c = node.input[2];
  const beta = node.attribute.find((a) => a.name === "beta")?.f ?? 1;
  const biasOk = c !== undefined && c !== "" && isFloatConst(c) && beta === 1;
  if (isFloatConst(node.input[1]))
    return _newPlan(node, kind, { activations: [0], weight: 1, axis: transB ? 0 : 1, bias: biasOk ? 2 : -1 });
  return _newPlan(node, kind, { activations: [0, 1] });
}

export interface _Ctx {
  scope: _Scope;
  names: NameScope;
  out: NodeProto[];
  replaced: Set<_Constant>;
  weightType: _WeightType;
  perChannel: boolean;
  scales: Map<string, number>;
  /** DequantizeLinear output -> its scale and zero-point initializers (data movers reuse them). */
  params: Map<string, [string, string]>;
  /** Float constant name -> the DequantizeLinear of its codes, in this graph. */
  constants: Map<string, string>;
  activationType: "uint8" | "int8";
  /** Where unaligned weights are copied to be quantized (read once, never kept). */
  scratch: _Float32Scratch;
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

/**
 * QuantizeLinear(x) -> DequantizeLinear -> `dqName` with the tensor's calibrated scale and zero point;
 * `quantize` gives the QuantizeLinear other ones (absorbed nodes, see _absorbedQuantize).
 */
export function _qdq(
  x: string,
  dqName: string,
  range: TensorRange,
  ctx: _Ctx,
  base = x,
  quantize?: { scale: number; zeroPoint: number },
): string {
  const q = range.qparams;
  const zpArray = (v: number) => (q.dtype === "qint8" ? Int8Array.of(v) : Uint8Array.of(v));
  const scale = _init(ctx, `${base}_scale`, Float32Array.of(q.scale[0]!), []);
  const zp = _init(ctx, `${base}_zero_point`, zpArray(q.zeroPoint[0]!), []);
  const qScale =
    quantize === undefined || quantize.scale === q.scale[0]
      ? scale
      : _init(ctx, `${base}_quantize_scale`, Float32Array.of(quantize.scale), []);
  const qZp =
    quantize === undefined || quantize.zeroPoint === q.zeroPoint[0]
      ? zp
      : _init(ctx, `${base}_quantize_zero_point`, zpArray(quantize.zeroPoint), []);
  const quantized = ctx.names.unique(`${x}_q`);
  ctx.out.push(
    _node("QuantizeLinear", [x, qScale, qZp], [quantized], ""),
    _node("DequantizeLinear", [quantized, scale, zp], [dqName], ""),
  );
  ctx.scales.set(dqName, q.scale[0]!);
  ctx.params.set(dqName, [scale, zp]);
  return dqName;
}

/**
 * QuantizeLinear(x) -> DequantizeLinear -> `dqName` with the scale and zero point of the quantized tensor
 * `like` (a data mover's output: onnxruntime drops the pair only when both sides share them).
 */
export function _qdqLike(x: string, dqName: string, like: string, ctx: _Ctx): string {
  const [scale, zp] = ctx.params.get(like)!;
  const quantized = ctx.names.unique(`${x}_q`);
  ctx.out.push(
    _node("QuantizeLinear", [x, scale, zp], [quantized], ""),
    _node("DequantizeLinear", [quantized, scale, zp], [dqName], ""),
  );
  ctx.scales.set(dqName, ctx.scales.get(like)!);
  ctx.params.set(dqName, [scale, zp]);
  return dqName;
}

/**
 * A float32 constant input of Add / Mul as codes of the activation type (per tensor, asymmetric, its
 * min and max with 0) + DequantizeLinear: QLinearAdd and QLinearMul take both inputs in one type.
 */
export function _constantInput(node: NodeProto, slot: number, ctx: _Ctx): void {
  const name = node.input[slot]!;
  let dq = ctx.constants.get(name);
  if (dq === undefined) {
    const w = _floatWeightView(ctx.scope, name) as Exclude<ReturnType<typeof _floatWeightView>, string>;
    let lo = 0;
    let hi = 0;
    for (const v of w.values) {
      if (!Number.isFinite(v))
        throw new RangeError(
          `${node.opType} ${_show(node.name)}: constant ${_show(name)} holds ${v}, which int8 cannot quantize`,
        );
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const dtype = ctx.activationType === "uint8" ? "quint8" : "qint8";
    const qparams = calculateQParams(lo, hi, { dtype, qscheme: "per_tensor_affine" });
    const codes = quantize(w.values, w.dims, qparams, { arithmetic: "onnx" }) as Uint8Array | Int8Array;
    const zp = qparams.zeroPoint[0]!;
    const q = _init(ctx, `${name}_quantized`, codes, w.dims);
    const s = _init(ctx, `${name}_scale`, Float32Array.of(qparams.scale[0]!), []);
    const z = _init(ctx, `${name}_zero_point`, dtype === "qint8" ? Int8Array.of(zp) : Uint8Array.of(zp), []);
    dq = ctx.names.unique(`${name}_dq`);
    ctx.out.push(_node("DequantizeLinear", [q, s, z], [dq], ""));
    ctx.constants.set(name, dq);
    ctx.replaced.add(w.constant);
  }
  node.input[slot] = dq;
}

/** Stores the weight as codes + DequantizeLinear; returns its scales. */
export function _weight(node: NodeProto, plan: _Plan, ctx: _Ctx): Float32Array {
  const name = node.input[plan.weight]!;
  const w = _floatWeightView(ctx.scope, name, ctx.scratch) as Exclude<
    ReturnType<typeof _floatWeightView>,
    string
  >;
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
  const b = _floatWeightView(ctx.scope, name) as Exclude<ReturnType<typeof _floatWeightView>, string>;
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
