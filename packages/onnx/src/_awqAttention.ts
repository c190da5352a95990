// AWQ's q / k / v scale measured through the attention block they feed (AutoAWQ's module2inspect =
// self_attn): the block is matched in the graph (_attentionBlock), checked against the calibration rows of
// its o projection's input (it must reproduce them), then awqScale searches with it as the loss.
import { attentionModule, awqScale } from "@quantkit/weights";
import { type _AttentionBlock, _matchAttention } from "./_attentionBlock";
import type { NodeProto } from "./_gen/onnx_pb";
import type { _Scope } from "./_quantGraph";
import { _floatWeightView } from "./_rewrite";
import { _awqSearch, type _Parsed } from "./quantizeMatMulNBitsOptions";

/** At most this many sequence lengths are tried when none is given (each costs one pass of the block). */
const TRIES = 4;
/** The matched block must reproduce o's calibration input to this relative L2 error (float32 vs float64). */
const TOLERANCE = 1e-3;

/** The shared scale of q, k and v searched through their attention block, or why it cannot be. */
export function _awqAttentionScale(
  members: readonly NodeProto[],
  a: string,
  scope: _Scope,
  made: Map<string, NodeProto>,
  reads: Map<string, NodeProto[]>,
  opset: number,
  o: _Parsed,
): { scale: Float32Array; how: string; block: _AttentionBlock } | string {
  const block = _matchAttention(members, scope, made, reads, opset);
  if (typeof block === "string") return `attention block not matched: ${block}`;
  const weights = block.qkv.map(
    (m) => _floatWeightView(scope, m.input[1]!) as { values: Float32Array; dims: number[] },
  );
  const K = weights[0]!.dims[0]!;
  const x = o.activations!.get(a)!;
  const rows = x.length / K;
  const target = o.activations!.get(block.output.input);
  if (target === undefined || target.length !== rows * block.output.shape[0])
    return "no calibration rows of the o projection's input to check the matched block against";
  const given = o.methodOptions.sequenceLength;
  const candidates: number[] = [];
  if (given !== undefined) candidates.push(given as number);
  else
    for (let T = Math.min(rows, block.maxSequence); T >= 1 && candidates.length < TRIES; T--)
      if (rows % T === 0) candidates.push(T);
  const tried: string[] = [];
  for (const T of candidates) {
    if (rows % T !== 0) {
      tried.push(`${T}: ${rows} rows are not sequences of ${T}`);
      continue;
    }
    const mask = block.mask === null ? undefined : block.mask(T);
    if (typeof mask === "string") {
      tried.push(`${T}: ${mask}`);
      continue;
    }
    const base = {
      heads: block.heads,
      sequenceLength: T,
      scale: block.scale,
      bias: block.bias,
      layout: "KN" as const,
      ...(mask === undefined ? {} : { mask }),
    };
    const y = attentionModule(base).forward(
      x,
      rows,
      weights.map((w) => w.values),
    );
    const error = _relativeError(y, target);
    if (!(error < TOLERANCE)) {
      tried.push(`${T}: relative error ${error.toExponential(1)}`);
      continue;
    }
    const module = attentionModule({
      ...base,
      output: { weight: block.output.weight, shape: block.output.shape },
    });
    const layers = weights.map((w) => ({
      weight: w.values,
      shape: [w.dims[0]!, w.dims[1]!] as [number, number],
    }));
    const { inputScale } = awqScale(layers, x, { ..._awqSearch(o), module });
    return {
      scale: inputScale,
      how: `loss through the attention block (${block.heads} heads, sequences of ${T}, the o projection's output)`,
      block,
    };
  }
  return `the matched attention block does not reproduce the o projection's input (sequence length ${tried.join("; ")})`;
}

function _relativeError(y: Float64Array, target: Float32Array): number {
  let e = 0;
  let t = 0;
  for (let i = 0; i < y.length; i++) {
    e += (y[i]! - target[i]!) ** 2;
    t += target[i]! ** 2;
  }
  return Math.sqrt(e / t);
}
