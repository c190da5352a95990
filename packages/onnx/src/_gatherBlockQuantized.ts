// quantizeMatMulNBits' embedding path (opTypes with "Gather"): a Gather along axis 0 of a constant 2-D
// float32 table [V, D] becomes com.microsoft.GatherBlockQuantized (blocks along D, quantize_axis 1), or a
// blocked DequantizeLinear along axis 1 feeding the Gather, as ONNX Runtime's matmul_nbits_quantizer
// (DefaultWeightOnlyQuantizer.quantize_gather) does it.
import {
  type BlockQuantized,
  hqq,
  packBlockedDequantizeLinear,
  packGatherBlockQuantized,
  quantizeBlockwise,
} from "@quantkit/weights";
import { _show } from "./_errors";
import type { _Float32Scratch } from "./_float32View";
import type { ModelProto, NodeProto, TensorProto } from "./_gen/onnx_pb";
import { _fromScales, _packedCodes, _sqnrDb } from "./_nbitsTensors";
import { _attr, type _Constant, _getAttr, _node, type _Scope } from "./_quantGraph";
import { _floatWeightView } from "./_rewrite";
import { allNodes } from "./allNodes";
import type { NameScope } from "./createNameScope";
import type { _Parsed } from "./quantizeMatMulNBitsOptions";

/** What one Gather needs from quantizeMatMulNBits' pass. */
export interface _GatherCtx {
  scope: _Scope;
  names: NameScope;
  out: NodeProto[];
  replaced: Set<_Constant>;
  /** The tables already quantized (several Gathers may read one), by their tensor, with what they became. */
  gathered: Map<TensorProto, _GatheredTable>;
  o: _Parsed;
  scratch: _Float32Scratch;
}

export interface _GatheredTable {
  inputs: string[];
  sqnrDb: number;
  how: string;
}

/** Rewrites one Gather, or says why it stays float. */
export function _gather(node: NodeProto, ctx: _GatherCtx): { ok: boolean; detail: string } {
  const { o } = ctx;
  const [data, indices] = node.input;
  const axisAttr = _getAttr(node, "axis");
  const axis = axisAttr === undefined ? 0 : Number(axisAttr.i);
  const w = _floatWeightView(ctx.scope, data!, ctx.scratch);
  if (typeof w === "string") return { ok: false, detail: `data ${w}` };
  if (w.dims.length !== 2) {
    return {
      ok: false,
      detail: `data ${_show(data)} has rank ${w.dims.length}; only a 2-D table [V, D] is quantized`,
    };
  }
  if (axis !== 0 && axis !== -2) {
    return {
      ok: false,
      detail: `axis ${axis}: only a Gather of rows (axis 0) of a table [V, D] is quantized`,
    };
  }
  const [V, D] = w.dims as [number, number];
  if (D < o.blockSize) {
    return { ok: false, detail: `D = ${D} is smaller than the block size ${o.blockSize}: kept float` };
  }
  if (o.format === "MatMulNBits" && o.bits === 2 && D % 4 !== 0) {
    return {
      ok: false,
      detail: `D = ${D} is not a multiple of 4: 2-bit GatherBlockQuantized packs whole bytes per row`,
    };
  }
  let table = ctx.gathered.get(w.constant.tensor);
  if (table === undefined) {
    const q = _quantizeTable(w.values, V, D, o, node);
    table = {
      ..._storeTable(q.result, data!, ctx),
      sqnrDb: _sqnrDb(w.values, q.result.dequantized),
      how: q.how,
    };
    ctx.gathered.set(w.constant.tensor, table);
  }
  ctx.replaced.add(w.constant);
  const base = node.name || node.output[0]!;
  const [y] = node.output;
  if (o.format === "MatMulNBits") {
    const attributes = [
      _attr("gather_axis", 0),
      _attr("quantize_axis", 1),
      _attr("block_size", o.blockSize),
      ...(o.bits === 4 ? [] : [_attr("bits", o.bits)]),
    ];
    const [q, scales, zeroPoints] = table.inputs;
    ctx.out.push(
      _node(
        "GatherBlockQuantized",
        [q!, indices!, scales!, ...(zeroPoints === undefined ? [] : [zeroPoints])],
        [y!],
        ctx.names.unique(`${base}_Q${o.bits}`),
        attributes,
        "com.microsoft",
      ),
    );
  } else {
    const deq = ctx.names.unique(`${data}_dequantized`);
    ctx.out.push(
      _node("DequantizeLinear", table.inputs, [deq], ctx.names.unique(`${base}_DQ`), [
        _attr("axis", 1),
        _attr("block_size", o.blockSize),
      ]),
      _node("Gather", [deq, indices!], [y!], ctx.names.unique(`${base}_gather_Q${o.bits}`), node.attribute),
    );
  }
  const where = o.format === "MatMulNBits" ? "GatherBlockQuantized" : "DequantizeLinear (axis 1) + Gather";
  const zero = o.method === "hqq" ? "rounded zero points" : o.symmetric ? "symmetric" : "asymmetric";
  return {
    ok: true,
    detail: `${where}: ${o.bits}-bit ${table.how}, table [${V}, ${D}] in blocks of ${o.blockSize} along D, ${zero}, ${o.scaleType} scales; table SQNR ${table.sqnrDb.toFixed(1)} dB`,
  };
}

/**
 * For a quantized Gather's report, read on the finished model: the nodes that still read its float table
 * `name` (a tied LM head left float, an excluded Gather...), for which the table stays in the file; ""
 * when there are none (the table is gone).
 */
export function _floatTableNote(model: ModelProto, name: string): string {
  const others = allNodes(model)
    .map((e) => e.node)
    .filter((n) => n.input.includes(name));
  if (others.length === 0) return "";
  const shown = others.slice(0, 3).map((n) => `${_show(n.name)} (${n.opType})`);
  return `; the float table stays in the file too: ${others.length > 3 ? `${others.length} nodes read it, ` : "read by "}${shown.join(", ")}`;
}

/** RTN with ONNX Runtime's Gather arithmetic (GPTQ and AWQ need a MatMul's inputs), or HQQ. */
function _quantizeTable(
  values: Float32Array,
  V: number,
  D: number,
  o: _Parsed,
  node: NodeProto,
): { result: BlockQuantized<Uint8Array>; how: string } {
  const block = { bits: o.bits, blockSize: o.blockSize, scaleType: o.scaleType };
  try {
    if (o.method === "hqq") {
      const keys = ["lpNorm", "beta", "kappa", "iterations", "earlyStop"];
      const opts = Object.fromEntries(Object.entries(o.methodOptions).filter(([k]) => keys.includes(k)));
      const q = hqq(values, [V, D], { ...block, ...opts, roundZeroPoint: true });
      return { result: q as BlockQuantized<Uint8Array>, how: "hqq" };
    }
    const q = quantizeBlockwise(values, [V, D], { ...block, symmetric: o.symmetric, arithmetic: "numpy" });
    const how =
      o.method === "rtn"
        ? "rtn (ONNX Runtime's Gather arithmetic)"
        : `rtn (${o.method} needs a MatMul's inputs; an embedding is round-to-nearest)`;
    return { result: q, how };
  } catch (e) {
    throw new Error(
      `quantizeMatMulNBits: Gather ${_show(node.name)} data ${_show(node.input[0])}: ${(e as Error).message}`,
    );
  }
}

/** Adds the table's initializers to the graph that held it: [data, scales, zero points?]. */
function _storeTable(q: BlockQuantized<Uint8Array>, data: string, ctx: _GatherCtx): { inputs: string[] } {
  const graph = ctx.scope.graph;
  const add = (suffix: string, t: TensorProto) => {
    t.name = ctx.names.unique(`${data}_${suffix}`);
    graph.initializer.push(t);
    return t.name;
  };
  const { bits } = ctx.o;
  if (ctx.o.format === "QDQ") {
    const p = packBlockedDequantizeLinear(q, { axis: 1 });
    const inputs = [
      add(`DQ_Q${bits}`, _packedCodes(p.x.data, p.x.dims, p.x.type)),
      add("DQ_scales", _fromScales(p.xScale.data, p.xScale.dims)),
    ];
    const z = p.xZeroPoint;
    if (z !== null) inputs.push(add("DQ_zero_points", _packedCodes(z.data, z.dims, z.type)));
    return { inputs };
  }
  const p = packGatherBlockQuantized(q);
  const inputs = [
    add(`Q${bits}`, _packedCodes(p.data.data, p.data.dims, p.data.type)),
    add("scales", _fromScales(p.scales.data, p.scales.dims)),
  ];
  const z = p.zeroPoints;
  if (z !== null) inputs.push(add("zero_points", _packedCodes(z.data, z.dims, z.type)));
  return { inputs };
}
