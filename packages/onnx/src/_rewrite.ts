// Shared steps of the quantizers: the opset check, weight lookup, new initializers, node reports, and
// dropping the float weights nothing reads any more.
import { _show } from "./_errors";
import { type _Float32Scratch, _float32View } from "./_float32View";
import type { ModelProto, NodeProto, TensorProto } from "./_gen/onnx_pb";
import { _isKnownOp } from "./_onnxOps";
import { type _Constant, _findConstant, _intAttr, _opset, type _Scope, _useCounts } from "./_quantGraph";
import type { NameScope } from "./createNameScope";
import { fromArray } from "./fromArray";
import type { NodeReport } from "./quantizationReport";
import { toFloat32Array } from "./toFloat32Array";

/** Throws unless the model's default-domain opset is at least `needed` (below 10 there is no quantized op). */
export function _checkOpset(model: ModelProto, needed: number, fn: string, why: string): number {
  const opset = _opset(model);
  if (opset < needed) {
    const base = opset < 10 ? "below 10, the first with quantized operators" : `below ${needed} (${why})`;
    throw new RangeError(
      `${fn}: the model imports opset ${opset}, ${base}; convert it first with upgradeOpset(model, 13)`,
    );
  }
  return opset;
}

/** A float32 constant of `scope`, found: the constant, or why `name` is not one (nothing decoded). */
export function _floatConstant(scope: _Scope, name: string): _Constant | string {
  const constant = _findConstant(scope, name);
  if (constant === null) return `${_show(name)} is not a constant (initializer or Constant node)`;
  if (constant.tensor.dataType !== 1)
    return `${_show(name)} is not float32 (ONNX data type ${constant.tensor.dataType})`;
  return constant;
}

/** Whether `name` is a float32 constant (initializer or Constant node) seen from `scope`. */
export function _isFloatConstant(scope: _Scope, name: string): boolean {
  return typeof _floatConstant(scope, name) !== "string";
}

/** A float32 weight: the constant behind `name` as seen from `scope` with its values in a new array, or why it is not one. */
export function _floatWeight(
  scope: _Scope,
  name: string,
): { constant: _Constant; values: Float32Array; dims: number[] } | string {
  const constant = _floatConstant(scope, name);
  if (typeof constant === "string") return constant;
  return { constant, values: toFloat32Array(constant.tensor), dims: constant.tensor.dims.map(Number) };
}

/**
 * {@link _floatWeight} whose values are read only ({@link _float32View}): a view of the tensor's raw_data
 * when it is 4-byte aligned, else a copy, into `scratch` when given (valid until its next use). Never
 * write into them: they may be the input model's bytes.
 */
export function _floatWeightView(
  scope: _Scope,
  name: string,
  scratch?: _Float32Scratch,
): { constant: _Constant; values: Float32Array; dims: number[] } | string {
  const constant = _floatConstant(scope, name);
  if (typeof constant === "string") return constant;
  return { constant, values: _float32View(constant.tensor, scratch), dims: constant.tensor.dims.map(Number) };
}

/** A new tensor for an initializer. */
export function _tensor(
  name: string,
  data: Float32Array | Int8Array | Uint8Array | Int32Array,
  dims: readonly number[],
): TensorProto {
  return fromArray(data, { dims, name });
}

/** Adds an initializer to `scope`'s graph under a new unique name made from `base`; returns the name. */
export function _addInitializer(
  names: NameScope,
  scope: _Scope,
  base: string,
  data: Float32Array | Int8Array | Uint8Array | Int32Array,
  dims: readonly number[],
): string {
  const name = names.unique(base);
  scope.graph.initializer.push(_tensor(name, data, dims));
  return name;
}

/** The report line of a node. */
export function _report(
  node: NodeProto,
  index: number,
  scope: _Scope,
  quantized: boolean,
  detail: string,
): NodeReport {
  return {
    name: node.name || `${node.opType} #${index}`,
    opType: node.opType,
    graph: scope.path,
    quantized,
    detail,
  };
}

/** Why a node of a type the mode does not quantize stays float. */
export function _notQuantizedReason(node: NodeProto, mode: string, opTypes: readonly string[]): string {
  if (!_isKnownOp(node.opType, node.domain)) {
    return `unknown op ${_show(node.opType)}${node.domain === "" ? "" : ` (domain ${_show(node.domain)})`}: kept float`;
  }
  return `${mode} does not quantize ${node.opType} (it quantizes ${opTypes.join(", ")})`;
}

/** Removes the replaced float weights (initializers and Constant nodes) that no graph reads any more. */
export function _dropUnused(model: ModelProto, replaced: Set<_Constant>): void {
  const uses = _useCounts(model);
  for (const c of replaced) {
    const name = c.node === null ? c.tensor.name : c.node.output[0]!;
    if ((uses.get(name) ?? 0) > 0) continue;
    const g = c.scope.graph;
    if (c.node === null) {
      const i = g.initializer.indexOf(c.tensor);
      if (i >= 0) g.initializer.splice(i, 1);
      const j = g.input.findIndex((v) => v.name === name);
      if (j >= 0) g.input.splice(j, 1);
    } else {
      const i = g.node.indexOf(c.node);
      if (i >= 0) g.node.splice(i, 1);
    }
  }
}

/** Validates an options list of strings. */
export function _stringList(value: unknown, name: string, fn: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TypeError(`${fn}: ${name} must be an array of strings, got ${_show(value)}`);
  }
  return value as string[];
}

/**
 * A Conv with one input and one output channel per group (weight [group, 1, ...]). onnxruntime's
 * QLinearConv runs it with MlasConvDepthwise, which has SSE2 / AVX2 and NEON loops but only a scalar one
 * in the WebAssembly build (onnxruntime-web: 0.2-0.5x the float Conv on PP-OCR's, measured); its
 * ConvInteger, as one small GEMM per channel.
 */
export function _isDepthwise(node: NodeProto, scope: _Scope): boolean {
  if (node.opType !== "Conv" || node.domain !== "") return false;
  const group = _intAttr(node, "group", 1);
  const w = _floatConstant(scope, node.input[1] ?? "");
  if (group <= 1 || typeof w === "string") return false;
  return Number(w.tensor.dims[0]) === group && Number(w.tensor.dims[1]) === 1;
}
