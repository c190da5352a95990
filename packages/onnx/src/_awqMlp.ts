// AWQ's up (or gate + up) scale measured through the MLP block they feed (AutoAWQ's module2inspect = mlp):
// the down projection is found in the graph (the one MatMul with a constant weight that their outputs
// reach through element-wise ops), the activation by running the candidates on the calibration rows (the
// block must reproduce down's collected input), then awqScale searches with that block as the loss.
import { type Activation, awqScale, mlpModule } from "@quantkit/weights";
import type { NodeProto } from "./_gen/onnx_pb";
import { _findConstant, type _Scope } from "./_quantGraph";
import { _floatWeightView } from "./_rewrite";
import { _awqSearch, type _Parsed } from "./quantizeMatMulNBitsOptions";
import { toFloat32Array } from "./toFloat32Array";

/** Element-wise ops between up and down (GELU / SiLU decomposed or fused, a gate's product). */
const ELEMENTWISE = new Set([
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Pow",
  "Neg",
  "Erf",
  "Tanh",
  "Sigmoid",
  "Relu",
  "Gelu",
  "FastGelu",
  "BiasGelu",
  "QuickGelu",
  "Identity",
]);
const STEPS = 12;
const TOLERANCE = 1e-3;
const ACTIVATIONS: readonly Activation[] = ["gelu", "geluTanh", "relu", "silu"];

/** The scale of the MLP's up (gate + up) searched through the block, or why it cannot be. */
export function _awqMlpScale(
  members: readonly NodeProto[],
  a: string,
  scope: _Scope,
  reads: Map<string, NodeProto[]>,
  o: _Parsed,
): { scale: Float32Array; how: string } | string {
  if (members.length > 2) return `${members.length} MatMuls read the input, not up or gate and up`;
  const down = _down(members, scope, reads);
  if (typeof down === "string") return down;
  const weights = members.map(
    (m) => _floatWeightView(scope, m.input[1]!) as { values: Float32Array; dims: number[] },
  );
  const K = weights[0]!.dims[0]!;
  const x = o.activations!.get(a)!;
  const rows = x.length / K;
  const target = o.activations!.get(down.node.input[0]!);
  if (target === undefined || target.length !== rows * down.shape[0])
    return "no calibration rows of the down projection's input to check the block against";
  const bias = members.map((m) => _bias(m, scope, reads, weights[0]!.dims[1]!));
  // The candidates: each activation, and for two MatMuls each of them as the gate.
  const orders =
    members.length === 1
      ? [[0]]
      : [
          [0, 1],
          [1, 0],
        ];
  let best = { error: Number.POSITIVE_INFINITY, label: "" };
  for (const order of orders) {
    for (const activation of ACTIVATIONS) {
      const base = {
        activation,
        gated: members.length === 2,
        bias: order.map((i) => bias[i]),
        layout: "KN" as const,
      };
      const ws = order.map((i) => weights[i]!.values);
      const error = _relativeError(mlpModule(base).forward(x, rows, ws), target);
      if (error < best.error) best = { error, label: activation };
      if (!(error < TOLERANCE)) continue;
      const module = mlpModule({ ...base, output: { weight: down.weight, shape: down.shape } });
      const layers = order.map((i) => ({
        weight: weights[i]!.values,
        shape: [weights[i]!.dims[0]!, weights[i]!.dims[1]!] as [number, number],
      }));
      const { inputScale } = awqScale(layers, x, { ..._awqSearch(o), module });
      const gate = members.length === 2 ? `, gate ${members[order[0]!]!.name}` : "";
      return {
        scale: inputScale,
        how: `loss through the MLP block (${activation}${gate}, the down projection's output)`,
      };
    }
  }
  return `the MLP block does not reproduce the down projection's input (closest: ${best.label}, relative error ${best.error.toExponential(1)})`;
}

/** The one MatMul with a constant weight that every member's output reaches through element-wise ops. */
function _down(
  members: readonly NodeProto[],
  scope: _Scope,
  reads: Map<string, NodeProto[]>,
): { node: NodeProto; weight: Float32Array; shape: [number, number] } | string {
  let found: NodeProto | null = null;
  for (const m of members) {
    const seen = new Set<string>();
    let frontier = [m.output[0]!];
    let reached: NodeProto | null = null;
    for (let step = 0; step < STEPS && frontier.length > 0; step++) {
      const next: string[] = [];
      for (const v of frontier) {
        if (scope.graph.output.some((g) => g.name === v)) return "an MLP value is a graph output";
        for (const n of reads.get(v) ?? []) {
          if (n.opType === "MatMul" && n.domain === "" && n.input[0] === v) {
            if (_findConstant(scope, n.input[1]!) === null) return "reaches a MatMul of two computed values";
            if (reached !== null && reached !== n) return "reaches two MatMuls";
            reached = n;
          } else if (ELEMENTWISE.has(n.opType) && (n.domain === "" || n.domain === "com.microsoft")) {
            for (const out of n.output) {
              if (seen.has(out)) continue;
              seen.add(out);
              next.push(out);
            }
          } else return `${n.opType} between up and down`;
        }
      }
      frontier = next;
    }
    if (reached === null) return "no down projection";
    if (found !== null && found !== reached) return "gate and up reach different MatMuls";
    found = reached;
  }
  const w = _floatWeightView(scope, found!.input[1]!);
  if (typeof w === "string" || w.dims.length !== 2) return "down has no float32 2-D weight";
  return { node: found!, weight: w.values, shape: [w.dims[0]!, w.dims[1]!] };
}

/** The constant [N] added right after the MatMul, if any. */
function _bias(
  m: NodeProto,
  scope: _Scope,
  reads: Map<string, NodeProto[]>,
  N: number,
): Float32Array | undefined {
  const rs = reads.get(m.output[0]!) ?? [];
  if (rs.length !== 1 || rs[0]!.opType !== "Add") return undefined;
  const add = rs[0]!;
  const other = add.input[0] === m.output[0] ? add.input[1]! : add.input[0]!;
  const c = _findConstant(scope, other);
  if (c === null || c.tensor.dataType !== 1 || c.tensor.dims.reduce((p, d) => p * Number(d), 1) !== N)
    return undefined;
  return toFloat32Array(c.tensor);
}

function _relativeError(y: Float64Array, target: Float32Array): number {
  if (y.length !== target.length) return Number.POSITIVE_INFINITY;
  let e = 0;
  let t = 0;
  for (let i = 0; i < y.length; i++) {
    e += (y[i]! - target[i]!) ** 2;
    t += target[i]! ** 2;
  }
  return Math.sqrt(e / t);
}
