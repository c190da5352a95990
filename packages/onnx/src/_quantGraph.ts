// Graph plumbing shared by calibration and the quantizers: scopes (the main graph and every subgraph of
// If / Loop / Scan), constant lookup through initializers and Constant nodes of a scope and its parents,
// use counts, fresh names and node construction.
import { create } from "@bufbuild/protobuf";
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from "./_gen/onnx_pb";
import { type AttributeValue, makeAttribute } from "./attribute";
import { graphs } from "./graphs";

/** A graph and where it hangs: the main graph (owner null) or the subgraph attribute of a node. */
export interface _Scope {
  graph: GraphProto;
  parent: _Scope | null;
  owner: NodeProto | null;
  attribute: string;
  /** "main", or "main/If_0.else_branch/..." for error messages and reports. */
  path: string;
}

/** Every graph of the model (not function bodies), parents before children, each with its parent scope. */
export function _scopes(model: ModelProto): _Scope[] {
  const byGraph = new Map<GraphProto, _Scope>();
  const out: _Scope[] = [];
  for (const e of graphs(model)) {
    if (e.path.startsWith("function:")) continue;
    const parent = e.parent === undefined ? null : (byGraph.get(e.parent) ?? null);
    const scope: _Scope = {
      graph: e.graph,
      parent,
      owner: e.node ?? null,
      attribute: e.attribute ?? "",
      path: e.path,
    };
    byGraph.set(e.graph, scope);
    out.push(scope);
  }
  return out;
}

/** Where a constant tensor lives. */
export interface _Constant {
  tensor: TensorProto;
  scope: _Scope;
  /** The Constant node that produces it, or null for an initializer. */
  node: NodeProto | null;
}

/** The tensor value of a Constant node (`value` attribute, or value_float(s) / value_int(s)), else null. */
export function _constantTensor(node: NodeProto): TensorProto | null {
  if (node.opType !== "Constant" || node.domain !== "") return null;
  for (const a of node.attribute) if (a.name === "value" && a.t !== undefined) return a.t;
  return null;
}

/** Finds `name` as an initializer or Constant output in `scope` or an enclosing scope (outer-scope values). */
export function _findConstant(scope: _Scope, name: string): _Constant | null {
  for (let s: _Scope | null = scope; s !== null; s = s.parent) {
    // A graph input of the same name shadows an initializer (old IRs list initializers as inputs too).
    for (const t of s.graph.initializer) if (t.name === name) return { tensor: t, scope: s, node: null };
    for (const n of s.graph.node) {
      if (n.output[0] === name) {
        const t = _constantTensor(n);
        return t === null ? null : { tensor: t, scope: s, node: n };
      }
    }
    if (s.graph.input.some((i) => i.name === name)) return null;
  }
  return null;
}

/** How many times each name is read: node inputs in every graph, and graph outputs. */
export function _useCounts(model: ModelProto): Map<string, number> {
  const uses = new Map<string, number>();
  const add = (n: string): void => {
    if (n !== "") uses.set(n, (uses.get(n) ?? 0) + 1);
  };
  for (const s of _scopes(model)) {
    for (const node of s.graph.node) for (const i of node.input) add(i);
    for (const o of s.graph.output) add(o.name);
  }
  return uses;
}

/**
 * An attribute through makeAttribute: integer numbers become INT, `{ float }` a FLOAT (makeAttribute
 * alone would make 2 an INT), arrays INTS, strings, tensors and graphs their own types.
 */
export function _attr(
  name: string,
  value: number | string | readonly number[] | TensorProto | GraphProto | { float: number },
): AttributeProto {
  if (typeof value === "object" && "float" in value)
    return makeAttribute(name, value.float, AttributeProto_AttributeType.FLOAT);
  return makeAttribute(name, (Array.isArray(value) ? [...value] : value) as AttributeValue);
}

/** A node in the default domain unless `domain` is given. */
export function _node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  attributes: readonly AttributeProto[] = [],
  domain = "",
): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    input: [...inputs],
    output: [...outputs],
    name,
    attribute: [...attributes],
    domain,
  });
}

/** An INT / INTS / FLOAT / STRING attribute's value, or `fallback`. */
export function _getAttr(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}
export function _intAttr(node: NodeProto, name: string, fallback: number): number {
  const a = _getAttr(node, name);
  return a === undefined ? fallback : Number(a.i);
}
export function _floatAttr(node: NodeProto, name: string, fallback: number): number {
  const a = _getAttr(node, name);
  return a === undefined ? fallback : a.f;
}
export function _intsAttr(node: NodeProto, name: string): number[] | undefined {
  const a = _getAttr(node, name);
  return a === undefined ? undefined : a.ints.map(Number);
}

/** A graph output (or input) entry with only a name: onnxruntime infers its type. */
export function _valueInfo(name: string) {
  return create(ValueInfoProtoSchema, { name });
}

/** A float32 tensor value info of unknown shape (subgraph outputs need a type in onnxruntime). */
export function _floatInfo(name: string) {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: "tensorType", value: { elemType: 1 } } }),
  });
}

/** The default-domain opset the model imports (0 when none). */
export function _opset(model: ModelProto): number {
  const o = model.opsetImport.find((x) => x.domain === "" || x.domain === "ai.onnx");
  return o === undefined ? 0 : Number(o.version);
}

/**
 * A deep copy of the model whose `bytes` fields (tensors' raw_data above all) share their bytes with the
 * original instead of copying them (the quantizers replace tensors, never write into their bytes): the
 * recogniser's 10.8 MB of weights are not duplicated. Messages are copied field by field with their
 * prototype (protobuf-es keeps proto2 defaults there, so presence is kept as it is), without
 * @bufbuild/protobuf's reflection, which allocated about 5 MB of temporaries per copy of the recogniser
 * (measured with V8's sampling heap profiler).
 */
export function _cloneSharingBytes(model: ModelProto): ModelProto {
  return _copy(model) as ModelProto;
}

function _copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = _copy(value[i]);
    return out;
  }
  // a message, a oneof's { case, value }, or an unknown field's { no, wireType, data }
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = _copy((value as Record<string, unknown>)[key]);
  return out;
}
