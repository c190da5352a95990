// AWQ across a graph: the MatMuls that read the same value share one input scale s (AutoAWQ scales q, k and
// v together, with one scale folded into the LayerNorm before them), found by one search over their
// weights; 1/s is folded into that LayerNorm's weight and bias when nothing else reads its output, else
// applied by one Mul that all of them read.
import { awqScale } from "@quantkit/weights";
import type { _AttentionBlock } from "./_attentionBlock";
import { _attentionScoreProjections } from "./_attentionScores";
import { _awqAttentionScale } from "./_awqAttention";
import { _awqMlpScale } from "./_awqMlp";
import { _show } from "./_errors";
import type { NodeProto } from "./_gen/onnx_pb";
import { _tensor } from "./_nbitsTensors";
import { type _Constant, _findConstant, _node, type _Scope } from "./_quantGraph";
import { _floatConstant, _floatWeightView } from "./_rewrite";
import { consumers } from "./consumers";
import type { NameScope } from "./createNameScope";
import { producers } from "./producers";
import { _awqSearch, type _Parsed } from "./quantizeMatMulNBitsOptions";
import { toFloat32Array } from "./toFloat32Array";

/** inspectModules' default: q, k and v through their attention block; the MLP by up's own outputs. */
export const _INSPECT_DEFAULT = "attention";

/** The scale of one shared input and where 1/s went. */
export interface _AwqInput {
  scale: Float32Array;
  /** The value the quantized MatMuls read (the scaled input, or the input itself after a fold). */
  input: string;
  /** For the report: "folded into LayerNorm ..." or "Mul, shared by 3 MatMuls". */
  how: string;
}

/** Per scope: the eligible MatMuls by input value, and the scales found so far. */
export interface _AwqScope {
  groups: Map<string, NodeProto[]>;
  /** The projections into attention scores (q, k, fused qkv): not clipped, their group not scaled. */
  scores: Set<NodeProto>;
  done: Map<string, _AwqInput>;
  made: Map<string, NodeProto>;
  reads: Map<string, NodeProto[]>;
  /** v MatMuls whose output columns carry 1/s of the o projection they feed (AutoAWQ's v -> o). */
  valueScales: Map<NodeProto, Float32Array>;
  /** The model's default-domain opset (Softmax's default axis depends on it). */
  opset: number;
  /** methodOptions.inspectModules, or its default. */
  inspect: boolean | "attention";
}

/** Groups the MatMuls of a scope that AWQ will quantize by the value they read. */
export function _awqScope(scope: _Scope, o: _Parsed, opset: number): _AwqScope {
  const groups = new Map<string, NodeProto[]>();
  for (const node of scope.graph.node) {
    if (node.opType !== "MatMul" || node.domain !== "" || o.exclude.has(node.name)) continue;
    const [a, b] = node.input;
    const w = _floatConstant(scope, b!); // nothing decoded
    if (typeof w === "string" || w.tensor.dims.length !== 2 || Number(w.tensor.dims[0]) < o.blockSize)
      continue;
    if (o.activations?.get(a!) === undefined) continue;
    const list = groups.get(a!) ?? [];
    list.push(node);
    groups.set(a!, list);
  }
  return {
    groups,
    scores: _attentionScoreProjections(scope.graph),
    done: new Map(),
    made: producers(scope.graph),
    reads: consumers(scope.graph),
    valueScales: new Map(),
    inspect: (o.methodOptions.inspectModules ?? _INSPECT_DEFAULT) as boolean | "attention",
    opset,
  };
}

/**
 * The shared scale of `node`'s input: searched over every MatMul of the group on the first call, with 1/s
 * folded into a LayerNormalization or pushed as a Mul onto `out` (before the first MatMul of the group).
 */
export function _awqInput(
  node: NodeProto,
  aw: _AwqScope,
  scope: _Scope,
  names: NameScope,
  out: NodeProto[],
  replaced: Set<_Constant>,
  o: _Parsed,
): _AwqInput {
  const a = node.input[0]!;
  const known = aw.done.get(a);
  if (known !== undefined) return known;
  const members = aw.groups.get(a) ?? [node];
  let scale: Float32Array;
  let through = "";
  const { inspect } = aw;
  if (members.some((m) => aw.scores.has(m))) {
    // The reference measures q, k and v through the attention block (inspectModules, on by default:
    // matched in the graph and checked against o's calibration input); without it s = 1: their own
    // outputs' MSE does not see what an error does through the softmax, and scaling by it cost perplexity.
    let found: ReturnType<typeof _awqAttentionScale> = "not inspected";
    if (inspect !== false) {
      try {
        found = _awqAttentionScale(members, a, scope, aw.made, aw.reads, aw.opset, o);
      } catch (e) {
        throw new Error(`quantizeMatMulNBits: AWQ scale of input ${_show(a)}: ${(e as Error).message}`);
      }
    }
    if (typeof found === "string") {
      const why = inspect === false ? "" : `; ${found}`;
      const result = {
        scale: new Float32Array(_weight(scope, members[0]!).dims[0]!).fill(1),
        input: a,
        how: `s = 1 (the input of attention scores${why})`,
      };
      aw.done.set(a, result);
      return result;
    }
    scale = found.scale;
    through = `; ${found.how}`;
    _foldIntoValue(found.block, aw, scope, names, replaced, o);
  } else {
    ({ scale, through } = _groupScale(members, a, scope, aw, o));
  }
  const shared = members.length === 1 ? "" : `, shared by ${members.length} MatMuls`;
  if (scale.every((v) => v === 1)) {
    const result = { scale, input: a, how: `s = 1 (alpha 0${shared}${through})` };
    aw.done.set(a, result);
    return result;
  }
  const folded = _foldIntoLayerNorm(a, scale, members, aw, scope, names, replaced);
  let result: _AwqInput;
  if (folded !== null) {
    result = { scale, input: a, how: `1/s folded into LayerNorm ${_show(folded)}${shared}${through}` };
  } else {
    const inv = new Float32Array(scale.length);
    for (let k = 0; k < inv.length; k++) inv[k] = 1 / scale[k]!;
    const invName = names.unique(`${a}_awq_inverse_scale`);
    scope.graph.initializer.push(_tensor(invName, inv, [inv.length], o.scaleType));
    const input = names.unique(`${a}_awq_scaled`);
    out.push(_node("Mul", [a, invName], [input], names.unique(`${a}_awq_scale`)));
    result = { scale, input, how: `input scaled by 1/s (a Mul${shared})${through}` };
  }
  aw.done.set(a, result);
  return result;
}

/** B [K, N] of a MatMul (a view of its raw_data; the group was checked to have a 2-D float32 weight). */
function _weight(scope: _Scope, m: NodeProto): { values: Float32Array; dims: number[] } {
  return _floatWeightView(scope, m.input[1]!) as { values: Float32Array; dims: number[] };
}

/**
 * The scale of a group that does not feed attention scores: through the MLP block it feeds (inspectModules
 * true, AutoAWQ's mlp), else, or when no block matches, by the group's own outputs.
 */
function _groupScale(
  members: readonly NodeProto[],
  a: string,
  scope: _Scope,
  aw: _AwqScope,
  o: _Parsed,
): { scale: Float32Array; through: string } {
  const { inspect } = aw;
  let found: { scale: Float32Array; how: string } | string = "not inspected";
  try {
    if (inspect === true) found = _awqMlpScale(members, a, scope, aw.reads, o);
    if (typeof found !== "string") return { scale: found.scale, through: `; ${found.how}` };
    const layers = members.map((m) => {
      const w = _weight(scope, m);
      return { weight: w.values, shape: [w.dims[0]!, w.dims[1]!] as [number, number] };
    });
    const scale = awqScale(layers, o.activations!.get(a)!, _awqSearch(o)).inputScale;
    return { scale, through: inspect === true ? `; loss on its own outputs (no MLP block: ${found})` : "" };
  } catch (e) {
    throw new Error(`quantizeMatMulNBits: AWQ scale of input ${_show(a)}: ${(e as Error).message}`);
  }
}

/**
 * AutoAWQ's v -> o: the o projection's input scale s is searched as any single MatMul's (its own outputs),
 * and 1/s goes into v's output columns and v's bias instead of a Mul before o. v's channel n is o's input
 * channel n (heads split and merged back; the matched block reproduced o's calibration input, so the path
 * is checked), and nothing but o may read that input. o's own quantization is the same either way; v's
 * columns are divided before v is quantized (`aw.valueScales`, read by quantizeMatMulNBits).
 */
function _foldIntoValue(
  block: _AttentionBlock,
  aw: _AwqScope,
  scope: _Scope,
  names: NameScope,
  replaced: Set<_Constant>,
  o: _Parsed,
): void {
  const { node: out, input } = block.output;
  const v = block.qkv[2];
  const group = aw.groups.get(input);
  if (aw.done.has(input) || group?.length !== 1 || group[0] !== out) return; // o excluded, or no rows
  if ((aw.reads.get(input) ?? []).length !== 1 || scope.graph.output.some((g) => g.name === input)) return;
  const { scale, through } = _groupScale(group, input, scope, aw, o);
  if (scale.every((s) => s === 1)) {
    aw.done.set(input, { scale, input, how: `s = 1 (alpha 0${through})` });
    return;
  }
  aw.valueScales.set(v, scale);
  let what = "output columns";
  if (block.valueBias !== undefined) {
    const { add, slot } = block.valueBias;
    const c = _findConstant(scope, add.input[slot]!)!;
    const bias = toFloat32Array(c.tensor);
    const scaled = bias.map((b, n) => b / scale[n]!);
    const name = names.unique(`${c.tensor.name || add.input[slot]}_awq`);
    scope.graph.initializer.push(_tensor(name, scaled, c.tensor.dims.map(Number), "float32"));
    add.input[slot] = name;
    replaced.add(c);
    what = "output columns and bias";
  }
  const vName = _show(v.name || v.output[0]);
  aw.done.set(input, {
    scale,
    input,
    how: `1/s folded into v ${vName}'s ${what} (AutoAWQ's v -> o)${through}`,
  });
}

/**
 * Divides the weight and bias of the LayerNormalization that makes `a` by s, when its output is read
 * only by the group, is not a graph output, and both are float32 initializers of K values in this scope.
 * Returns the LayerNorm's name, or null (then a Mul does the job).
 */
function _foldIntoLayerNorm(
  a: string,
  scale: Float32Array,
  members: readonly NodeProto[],
  aw: _AwqScope,
  scope: _Scope,
  names: NameScope,
  replaced: Set<_Constant>,
): string | null {
  const ln = aw.made.get(a);
  if (ln === undefined || ln.opType !== "LayerNormalization" || ln.domain !== "") return null;
  if (ln.output[0] !== a || ln.output.length > 1) return null;
  if (scope.graph.output.some((v) => v.name === a)) return null;
  const readers = aw.reads.get(a) ?? [];
  if (readers.length !== members.length || readers.some((r) => !members.includes(r))) return null;
  const params = [ln.input[1], ln.input[2]].filter((n): n is string => n !== undefined && n !== "");
  const constants = params.map((n) => _findConstant(scope, n));
  const K = scale.length;
  for (const c of constants) {
    if (c === null || c.node !== null || c.scope !== scope || c.tensor.dataType !== 1) return null;
    if (Number(c.tensor.dims.reduce((p, d) => p * d, 1n)) !== K) return null;
  }
  constants.forEach((c, i) => {
    const v = toFloat32Array(c!.tensor);
    const scaled = new Float32Array(K);
    for (let k = 0; k < K; k++) scaled[k] = v[k]! / scale[k]!;
    const name = names.unique(`${c!.tensor.name}_awq`);
    scope.graph.initializer.push(_tensor(name, scaled, c!.tensor.dims.map(Number), "float32"));
    ln.input[i + 1] = name;
    replaced.add(c!);
  });
  return ln.name || a;
}
