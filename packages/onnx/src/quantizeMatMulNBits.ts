import { awq, type BlockQuantized, gptq, hqq, quantizeBlockwise } from "@quantkit/weights";
import { type _AwqScope, _awqInput, _awqScope } from "./_awqShared";
import { _encodedSize } from "./_encodeMessage";
import { _checkOptions, _show } from "./_errors";
import { _Float32Scratch } from "./_float32View";
import { _foldWeightOf, _removeFolded } from "./_foldWeight";
import { _floatTableNote, type _GatheredTable, _gather } from "./_gatherBlockQuantized";
import { type ModelProto, ModelProtoSchema, type NodeProto, type TensorProto } from "./_gen/onnx_pb";
import { type _Packed, _store } from "./_nbitsTensors";
import {
  _attr,
  type _Constant,
  _cloneSharingBytes,
  _node,
  _opset,
  type _Scope,
  _scopes,
} from "./_quantGraph";
import { _dropUnused, _floatWeightView, _notQuantizedReason, _report } from "./_rewrite";
import { createNameScope, type NameScope } from "./createNameScope";
import { makeOpsetId } from "./makeModel";
import type { NodeReport } from "./quantizationReport";
import type { QuantizeResult } from "./quantizeDynamic";
import {
  _NBITS_KEYS,
  type _Parsed,
  _parse,
  type QuantizeMatMulNBitsOptions,
} from "./quantizeMatMulNBitsOptions";

/**
 * Weight-only quantization of every MatMul with a constant 2-D float32 weight B [K, N] (in any graph,
 * If / Loop / Scan bodies included; from an initializer or a Constant node), as ONNX Runtime's
 * `MatMulNBitsQuantizer` and transformers.js's `q4` / `q4f16` do: B in blocks of `blockSize` along K, each
 * with its own scale (and zero point), written as `com.microsoft.MatMulNBits` (or, with format "QDQ", as an
 * opset-21 blocked DequantizeLinear feeding the MatMul). Methods: round-to-nearest ("rtn"), equal bit for
 * bit to ONNX Runtime's quantizer; "gptq" and "awq" with the layer inputs of {@link collectMatMulInputs};
 * "hqq" (float zero points). AWQ searches one per-channel scale s for all the MatMuls that read the same
 * value (q, k and v; AutoAWQ's groups) and folds 1/s into the LayerNormalization that makes it when
 * nothing else reads it (the o projection's into v's columns and bias, AutoAWQ's v -> o, where the
 * attention block is matched), else adds one Mul by 1/s; as AutoAWQ, it does not clip the projections into
 * attention scores (q, k, a fused qkv), and it judges q / k / v's scale by the output of the attention
 * block they feed, matched in the graph (`methodOptions.inspectModules`; s = 1 when it cannot be matched).
 * With `opTypes: ["MatMul", "Gather"]` the embedding tables are quantized too (ONNX Runtime's
 * `op_types_to_quantize`): a Gather of rows (axis 0) of a constant 2-D float32 [V, D] becomes
 * `com.microsoft.GatherBlockQuantized` (blocks along D; int4 / uint4 at 4 bits as ONNX Runtime writes it,
 * uint8 with `bits` at 2 and 8) or, with format "QDQ", a blocked DequantizeLinear (axis 1) feeding the
 * Gather; round-to-nearest with ONNX Runtime's Gather arithmetic, equal to its quantizer (HQQ with rounded
 * zero points; GPTQ and AWQ need a MatMul's inputs, so embeddings get RTN).
 * Every MatMul (and Gather) reports what it became, or why it stayed float, and the SQNR of its effective weight
 * against the float one. The input model is not modified; the tensors the result keeps share their raw_data
 * bytes with it (treat them as read only).
 *
 * @example
 * ```ts
 * import { quantizeMatMulNBits, readModel, writeModel } from "@quantkit/onnx";
 * const { model, report } = quantizeMatMulNBits(readModel(bytes), { bits: 4, blockSize: 32 });
 * report.nodes.filter((n) => n.quantized).length; // MatMuls now MatMulNBits
 * report.sizeBytesAfter / report.sizeBytesBefore; // about 0.16 for a model of MatMul weights
 * quantizeMatMulNBits(readModel(bytes), { opTypes: ["MatMul", "Gather"] }); // embeddings too
 * writeModel(model);
 * ```
 */
export function quantizeMatMulNBits(model: ModelProto, options?: QuantizeMatMulNBitsOptions): QuantizeResult {
  const fn = "quantizeMatMulNBits";
  _checkOptions(fn, options, _NBITS_KEYS);
  const o = _parse(options ?? {}, fn);
  const opset = _opset(model);
  if (opset < (o.format === "QDQ" ? 21 : 1)) {
    throw new RangeError(
      o.format === "QDQ"
        ? `${fn}: format "QDQ" needs opset 21 (blocked DequantizeLinear with int4); the model imports opset ${opset}: use format "MatMulNBits"`
        : `${fn}: the model imports no default-domain opset`,
    );
  }
  // The copy shares raw_data with `model` (read only here: quantized weights become new tensors), and
  // sizes are counted without serializing.
  const sizeBytesBefore = _encodedSize(ModelProtoSchema, model);
  const copy = _cloneSharingBytes(model);
  const scratch = new _Float32Scratch();
  const names = createNameScope(copy);
  const replaced = new Set<_Constant>();
  const nodes: NodeReport[] = [];
  const done = new Map<TensorProto, _Packed>();
  const gathered = new Map<TensorProto, _GatheredTable>();
  const gatherRows = new Map<NodeProto, NodeReport>();
  for (const scope of _scopes(copy)) {
    const out: NodeProto[] = [];
    const rows = new Map<NodeProto, NodeReport>();
    const aw = o.method === "awq" ? _awqScope(scope, o, opset) : null;
    scope.graph.node.forEach((node, index) => {
      if (node.opType === "Constant" && node.domain === "") {
        out.push(node);
        return;
      }
      let detail: string;
      let quantized = false;
      const opType = node.domain === "" && o.opTypes.has(node.opType as "MatMul") ? node.opType : null;
      if (opType === null) {
        detail = _notQuantizedReason(node, "MatMulNBits", [...o.opTypes]);
      } else if (o.exclude.has(node.name)) {
        detail = "excluded by options.exclude";
      } else if (opType === "Gather") {
        const r = _gather(node, { scope, names, out, replaced, gathered, o, scratch });
        quantized = r.ok;
        detail = r.detail;
      } else {
        const r = _matmul(node, { scope, names, out, replaced, done, o, aw, scratch, rows });
        quantized = r.ok;
        detail = r.detail;
      }
      if (!quantized) out.push(node);
      const row = _report(node, index, scope, quantized, detail);
      rows.set(node, row);
      if (opType === "Gather" && quantized) gatherRows.set(node, row);
      nodes.push(row);
    });
    scope.graph.node = out;
  }
  _dropUnused(copy, replaced);
  for (const [node, row] of gatherRows) row.detail += _floatTableNote(copy, node.input[0]!);
  if (o.format === "MatMulNBits" && nodes.some((n) => n.quantized)) _importMicrosoftDomain(copy);
  const sizeBytesAfter = _encodedSize(ModelProtoSchema, copy);
  return {
    model: copy,
    report: {
      mode: o.bits !== 4 ? "weight-only" : o.scaleType === "float16" ? "q4f16" : "q4",
      sizeBytesBefore,
      sizeBytesAfter,
      opsetBefore: opset,
      opsetAfter: opset,
      nodes,
    },
  };
}

interface _Ctx {
  scope: _Scope;
  names: NameScope;
  out: NodeProto[];
  replaced: Set<_Constant>;
  /** Packed weights by the float tensor they came from (each lookup of a constant makes a new _Constant). */
  done: Map<TensorProto, _Packed>;
  o: _Parsed;
  aw: _AwqScope | null;
  /** Where an unaligned weight is copied to be quantized (read within one _matmul, never kept). */
  scratch: _Float32Scratch;
  /** The report rows of this graph's nodes so far (nodes folded into a weight say so). */
  rows: Map<NodeProto, { detail: string }>;
}

function _matmul(node: NodeProto, ctx: _Ctx): { ok: boolean; detail: string } {
  const { o } = ctx;
  const [a, b] = node.input;
  const view = _floatWeightView(ctx.scope, b!, ctx.scratch);
  // A weight the graph computes from constants (a tied LM head's Transpose of the embedding table) is
  // folded. AWQ searches scales only for the constant weights of the MatMuls that share an input: a
  // folded B keeps s = 1 and gets AWQ's clip search.
  const folded = typeof view === "string" ? _foldWeightOf(ctx.scope, ctx.out, node, b!) : null;
  if (typeof folded === "string") return { ok: false, detail: `weight ${folded}` };
  const w = folded ?? (view as Exclude<typeof view, string>);
  const constant = folded === null ? (view as Exclude<typeof view, string>).constant : null;
  if (w.dims.length !== 2) {
    return { ok: false, detail: `weight ${_show(b)} has rank ${w.dims.length}; MatMulNBits takes a 2-D B` };
  }
  const [K, N] = w.dims as [number, number];
  if (K < o.blockSize) {
    return { ok: false, detail: `K = ${K} is smaller than the block size ${o.blockSize}: kept float` };
  }
  const x = o.activations?.get(a!);
  if ((o.method === "gptq" || o.method === "awq") && x === undefined) {
    return {
      ok: false,
      detail: `no calibration rows for input ${_show(a)} (${o.method} needs them): kept float`,
    };
  }
  // A weight read by several MatMuls is quantized once (with the first one's inputs), unless AWQ scales it
  // for each input; the packed tensors then live where the float weight does, seen by every reader.
  let packed = o.method === "awq" || constant === null ? undefined : ctx.done.get(constant.tensor);
  let input = a!;
  let more = "";
  if (packed === undefined) {
    let awqOptions: _AwqMember | null = null;
    let values = w.values;
    if (o.method === "awq" && folded !== null) {
      awqOptions = {
        inputScale: new Float32Array(K).fill(1),
        clip: o.methodOptions.clip as boolean | undefined,
      };
      more = ", s = 1 (AWQ searches scales for constant weights only)";
    } else if (o.method === "awq") {
      const shared = _awqInput(node, ctx.aw!, ctx.scope, ctx.names, ctx.out, ctx.replaced, o);
      const score = ctx.aw!.scores.has(node);
      awqOptions = {
        inputScale: shared.scale,
        clip: score ? false : (o.methodOptions.clip as boolean | undefined),
      };
      input = shared.input;
      more = `, ${shared.how}${score ? ", no clip search (a projection into attention scores)" : ""}`;
      const outputScale = ctx.aw!.valueScales.get(node);
      if (outputScale !== undefined) {
        // AutoAWQ's v -> o: column n of B divided by o's s[n] before it is quantized.
        values = new Float32Array(K * N);
        for (let k = 0; k < K; k++)
          for (let n = 0; n < N; n++) values[k * N + n] = w.values[k * N + n]! / outputScale[n]!;
        more += ", output columns divided by the o projection's input scale";
      }
    }
    const q = _quantize(values, K, N, x, node, o, awqOptions);
    const home = o.method === "awq" || constant === null ? ctx.scope.graph : constant.scope.graph;
    packed = _store(q.result, q.effective, values, b!, home, ctx.names, o);
    if (constant !== null) ctx.done.set(constant.tensor, packed);
  }
  if (constant !== null) ctx.replaced.add(constant);
  if (folded !== null) {
    for (const c of folded.constants) ctx.replaced.add(c);
    const what = `the ${o.bits}-bit weights of MatMul ${_show(node.name || node.output[0])}`;
    _removeFolded(folded, ctx.out, ctx.rows, what);
    const ops = [...new Set(folded.nodes.map((n) => n.opType))].join(" / ");
    more += `; B folded from constants through ${folded.nodes.length} ${ops} node${folded.nodes.length === 1 ? "" : "s"}, removed`;
  }
  const base = node.name || node.output[0]!;
  const y = node.output[0]!;
  if (o.format === "MatMulNBits") {
    const attributes = Object.entries(packed.attributes).map(([k, v]) => _attr(k, v));
    if (o.accuracyLevel > 0) attributes.push(_attr("accuracy_level", o.accuracyLevel));
    ctx.out.push(
      _node(
        "MatMulNBits",
        [input, ...packed.inputs],
        [y],
        ctx.names.unique(`${base}_Q${o.bits}`),
        attributes,
        "com.microsoft",
      ),
    );
  } else {
    const deq = ctx.names.unique(`${b}_dequantized`);
    const dqAttributes = [_attr("axis", 0), _attr("block_size", o.blockSize)];
    ctx.out.push(
      _node("DequantizeLinear", packed.inputs, [deq], ctx.names.unique(`${base}_DQ`), dqAttributes),
      _node("MatMul", [input, deq], [y], ctx.names.unique(`${base}_matmul_Q${o.bits}`)),
    );
  }
  const how = o.format === "MatMulNBits" ? "MatMulNBits" : "DequantizeLinear + MatMul";
  const zero = o.method === "hqq" ? "float zero points" : o.symmetric ? "symmetric" : "asymmetric";
  return {
    ok: true,
    detail: `${how}: ${o.bits}-bit ${o.method}, blocks of ${o.blockSize}, ${zero}, ${o.scaleType} scales${more}; weight SQNR ${packed.sqnrDb.toFixed(1)} dB`,
  };
}

/** Runs the method on B [K, N]; `effective` is what the MatMul now multiplies unscaled inputs by. */
function _quantize(
  values: Float32Array,
  K: number,
  N: number,
  x: Float32Array | undefined,
  node: NodeProto,
  o: _Parsed,
  awqMember: _AwqMember | null,
): {
  result: BlockQuantized<Uint8Array | Float32Array>;
  effective: Float32Array;
} {
  const block = { bits: o.bits, blockSize: o.blockSize, scaleType: o.scaleType, layout: "KN" as const };
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(Object.entries(o.methodOptions).filter(([k]) => keys.includes(k)));
  const shape: [number, number] = [K, N];
  try {
    switch (o.method) {
      case "rtn": {
        const q = quantizeBlockwise(values, shape, { ...block, symmetric: o.symmetric });
        return { result: q, effective: q.dequantized };
      }
      case "gptq": {
        const opts = pick(["percDamp", "lazyBatchSize", "actOrder", "staticGroups"]);
        const q = gptq(values, shape, x!, { ...block, symmetric: o.symmetric, ...opts });
        return { result: q, effective: q.dequantized };
      }
      case "awq": {
        const opts = pick(["clip", "clipGrid", "maxShrink", "clipSamples"]);
        const member = awqMember ?? { inputScale: undefined, clip: undefined };
        const clip = member.clip === undefined ? {} : { clip: member.clip };
        const q = awq(values, shape, x!, {
          ...block,
          symmetric: o.symmetric,
          ...opts,
          ...clip,
          inputScale: member.inputScale,
        });
        return { result: q, effective: q.equivalentWeight };
      }
      case "hqq": {
        const opts = pick(["lpNorm", "beta", "kappa", "iterations", "earlyStop"]);
        const q = hqq(values, shape, { ...block, ...opts, roundZeroPoint: o.format === "QDQ" });
        return { result: q, effective: q.dequantized };
      }
    }
  } catch (e) {
    throw new Error(
      `quantizeMatMulNBits: MatMul ${_show(node.name)} weight ${_show(node.input[1])}: ${(e as Error).message}`,
    );
  }
}

/** What the graph decided for one AWQ MatMul: the shared scale, and clip false for attention scores. */
interface _AwqMember {
  inputScale: Float32Array | undefined;
  clip: boolean | undefined;
}

function _importMicrosoftDomain(model: ModelProto): void {
  if (!model.opsetImport.some((x) => x.domain === "com.microsoft"))
    model.opsetImport.push(makeOpsetId("com.microsoft", 1));
}
