// Which op types int8 writes in QDQ and how, chosen so that onnxruntime's CPU QDQ transformer fuses
// them (its selectors: Conv, MatMul, Gemm with weights; Add and Mul as QLinearAdd / QLinearMul;
// AveragePool, GlobalAveragePool, LeakyRelu, Sigmoid, Softmax as their QLinear contrib ops; Concat as
// QLinearConcat; MaxPool, Transpose, Reshape and the other data movers run on the codes when their input
// and output share scale and zero point), and the nodes after a quantized output that its quantization
// can absorb: Relu, Clip, and Mul, Div, Add, Sub by a scalar constant.
import { _show } from "./_errors";
import type { NodeProto } from "./_gen/onnx_pb";
import type { _TypeScope } from "./_inferElemTypes";
import { _floatAttr, type _Scope } from "./_quantGraph";
import { _floatWeightView } from "./_rewrite";

/** How one node is quantized. */
export interface _Plan {
  node: NodeProto;
  kind: _Kind;
  /** Input slots read as activations (quantized with calibrated ranges). */
  activations: number[];
  /** Input slots holding float32 constants quantized per tensor in the activation type (Add, Mul). */
  constants: number[];
  /** The weight slot (a constant), or -1. */
  weight: number;
  /** Per-channel axis of the weight. */
  axis: number;
  /** The bias slot (Conv B, Gemm C), or -1. */
  bias: number;
  /** Nodes after the output that its quantization may absorb (Relu, Clip, affine by a scalar), in order. */
  followers: NodeProto[];
  /** What each follower does. */
  steps: _Step[];
}

/**
 * Whether onnxruntime quantizes a float Conv by itself: its WeightBiasQuantization transformer gives a
 * Conv whose input is a DequantizeLinear output and whose output reaches a QuantizeLinear through Relu /
 * Clip only (one reader each) int8 per-tensor weights and an int32 bias, and its QDQ fusion then makes
 * it a QLinearConv. `quantizes(reader, tensor)` says whether a reader will quantize `tensor`.
 */
export function _ortQuantizesConv(
  node: NodeProto,
  readers: Map<string, NodeProto[]>,
  inputDequantized: boolean,
  quantizes: (reader: NodeProto, tensor: string) => boolean,
): boolean {
  if (!inputDequantized) return false;
  let tensor = node.output[0]!;
  for (;;) {
    const r = readers.get(tensor) ?? [];
    if (r.length !== 1) return false;
    const next = r[0]!;
    if (next.opType !== "Relu" && next.opType !== "Clip") return quantizes(next, tensor);
    tensor = next.output[0]!;
  }
}

/** How a node type is written in QDQ. */
export type _Kind = "weighted" | "binary" | "unary" | "variadic" | "passthrough";

export const _KINDS: Readonly<Record<string, _Kind>> = {
  Conv: "weighted",
  MatMul: "weighted",
  Gemm: "weighted",
  Add: "binary",
  Mul: "binary",
  AveragePool: "unary",
  GlobalAveragePool: "unary",
  LeakyRelu: "unary",
  Sigmoid: "unary",
  Softmax: "unary",
  Concat: "variadic",
  MaxPool: "passthrough",
  Resize: "passthrough",
  Transpose: "passthrough",
  Reshape: "passthrough",
  Flatten: "passthrough",
  Squeeze: "passthrough",
  Unsqueeze: "passthrough",
  Slice: "passthrough",
  Gather: "passthrough",
  Expand: "passthrough",
  Tile: "passthrough",
};

export function _kind(opType: string): _Kind | undefined {
  return _KINDS[opType];
}

/** A finite float32 scalar constant behind `name`, else null. */
function _scalar(scope: _Scope, name: string | undefined): number | null {
  if (name === undefined || name === "") return null;
  const w = _floatWeightView(scope, name);
  if (typeof w === "string" || w.values.length !== 1) return null;
  const v = w.values[0]!;
  return Number.isFinite(v) ? v : null;
}

/** Clip's bounds when they are constants (inputs from opset 11, attributes before), else null. */
function _clipBounds(node: NodeProto, scope: _Scope, opset: number): [number, number] | null {
  if (opset < 11) return [_floatAttr(node, "min", -Infinity), _floatAttr(node, "max", Infinity)];
  const bound = (i: number, fallback: number): number | null => {
    const name = node.input[i];
    return name === undefined || name === "" ? fallback : _scalar(scope, name);
  };
  const lo = bound(1, -Infinity);
  const hi = bound(2, Infinity);
  return lo === null || hi === null ? null : [lo, hi];
}

/** A node after a quantized output that its quantization absorbs: y = clip(x) or y = a * x + b (a > 0). */
export type _Step = { clip: [number, number] } | { a: number; b: number };
// (b is 0 in every step _absorbable gives today; _absorbedQuantize handles an offset.)

/**
 * What `reader`, reading `tensor`, is as a step its producer's quantization can absorb: a Relu or a
 * Clip with constant bounds (the clamp of QuantizeLinear clips), or a Mul or Div by a positive scalar
 * constant. Not an Add or Sub of one: the zero point would absorb it only rounded to a whole code, a
 * bias of up to half a step on every value (measured on the PP-OCRv4 recogniser, whose every Conv is
 * followed by a scalar Mul and Add: CTC strings equal to the float model's on 8% of lines instead of 40%).
 * Null when it is none of these.
 */
export function _absorbable(reader: NodeProto, tensor: string, scope: _Scope, opset: number): _Step | null {
  if (reader.domain !== "") return null;
  const other = reader.input[0] === tensor ? reader.input[1] : reader.input[0];
  switch (reader.opType) {
    case "Relu":
      return { clip: [0, Infinity] };
    case "Clip": {
      if (reader.input[0] !== tensor) return null;
      const b = _clipBounds(reader, scope, opset);
      return b === null ? null : { clip: b };
    }
    case "Mul": {
      const c = other === tensor ? null : _scalar(scope, other);
      return c !== null && c > 0 ? { a: c, b: 0 } : null;
    }
    case "Div": {
      const c = reader.input[0] === tensor ? _scalar(scope, reader.input[1]) : null;
      return c !== null && c > 0 ? { a: 1 / c, b: 0 } : null;
    }
    default:
      return null;
  }
}

/**
 * The QuantizeLinear that writes, from the producer's float output x, the codes of the output of the
 * first `steps` in scale `scale` and zero point `zeroPoint`: y = A x + B composed over the affine steps
 * gives scale / A and zero point zeroPoint + round(B / scale) (B rounded to a whole code, at most half a
 * step off). Null when that zero point leaves [quantMin, quantMax] or when a clip would not be done by
 * the clamp: each clip's bounds, mapped through the affine steps after it, must hold the quantized range
 * [scale * (quantMin - zeroPoint), scale * (quantMax - zeroPoint)].
 */
export function _absorbedQuantize(
  steps: readonly _Step[],
  scale: number,
  zeroPoint: number,
  quantMin: number,
  quantMax: number,
): { scale: number; zeroPoint: number } | null {
  const lo = scale * (quantMin - zeroPoint);
  const hi = scale * (quantMax - zeroPoint);
  // walk back from the output: (a, b) maps a value after step i to the output
  let a = 1;
  let b = 0;
  const slack = scale / 2;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if ("clip" in s) {
      if (!(s.clip[0] * a + b <= lo + slack && s.clip[1] * a + b >= hi - slack)) return null;
    } else {
      b += a * s.b;
      a *= s.a;
    }
  }
  const shift = Math.round(b / scale);
  const z = zeroPoint + shift;
  if (z < quantMin || z > quantMax) return null;
  return { scale: scale / a, zeroPoint: z };
}

/**
 * Drops, until none is left, the plans of non-weighted nodes whose output a float node reads or the graph
 * returns, or with no input from a quantized node any more: their QDQ would only add a DequantizeLinear in front of float
 * nodes (onnxruntime gives each reader its own, which breaks float fusions such as LayerNormalization).
 */
export function _prune(
  graphNodes: readonly NodeProto[],
  plans: Map<NodeProto, _Plan>,
  fused: Map<NodeProto, NodeProto>,
  reasons: Map<NodeProto, string>,
  readers: ReadonlyMap<string, readonly NodeProto[]>,
  graphOutputs: ReadonlySet<string>,
): void {
  const outputs = new Map<string, NodeProto>();
  for (;;) {
    outputs.clear();
    for (const [n, p] of plans) outputs.set(_outName(p), n);
    let changed = false;
    for (const node of [...graphNodes].reverse()) {
      const plan = plans.get(node);
      if (plan === undefined || plan.kind === "weighted") continue;
      const out = _outName(plan);
      const floatReader = (readers.get(out) ?? []).find((r) => !plans.has(r));
      const data = plan.kind === "passthrough" ? [0] : plan.activations;
      const fed = data.some((i) => outputs.has(node.input[i]!));
      if (floatReader === undefined && fed && !graphOutputs.has(out)) continue;
      plans.delete(node);
      for (const f of plan.followers) fused.delete(f);
      plan.followers = [];
      plan.steps = [];
      reasons.set(
        node,
        floatReader !== undefined
          ? `its output goes to ${floatReader.opType} ${_show(floatReader.name)}, which stays float`
          : graphOutputs.has(out)
            ? "its output is a graph output: it stays float"
            : "no input comes from a quantized node",
      );
      changed = true;
    }
    if (!changed) return;
  }
}

/** The tensor the plan's output quantization writes: the last absorbed follower's output, or the node's. */
export function _outName(plan: _Plan): string {
  const last = plan.followers[plan.followers.length - 1];
  return last === undefined ? plan.node.output[0]! : last.output[0]!;
}

/** Why a node of a non-weighted kind stays float: an input or output not known to be float32. */
export function _notFloat(node: NodeProto, types: _TypeScope): string | undefined {
  const data = node.opType === "Concat" ? node.input : [node.input[0]!, node.output[0]!];
  for (const name of data) {
    const t = types.get(name);
    if (t !== 1)
      return `${_show(name)} is ${t === undefined ? "of unknown type" : `ONNX data type ${t}`}, not float32`;
  }
  return undefined;
}
