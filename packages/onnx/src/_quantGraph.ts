// Graph plumbing shared by calibration and the quantizers: scopes (the main graph and every subgraph of
// If / Loop / Scan), constant lookup through initializers and Constant nodes of a scope and its parents,
// use counts, fresh names and node construction.
import { create } from "@bufbuild/protobuf";
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from "./_gen/onnx_pb";

/** A graph and where it hangs: the main graph (owner null) or the subgraph attribute of a node. */
export interface _Scope {
  graph: GraphProto;
  parent: _Scope | null;
  owner: NodeProto | null;
  attribute: string;
  /** "main", or "main/If_0.else_branch/..." for error messages and reports. */
  path: string;
}

/** Every graph of the model, parents before children. */
export function _scopes(model: ModelProto): _Scope[] {
  const root: _Scope = { graph: model.graph!, parent: null, owner: null, attribute: "", path: "main" };
  const out: _Scope[] = [];
  const visit = (s: _Scope): void => {
    out.push(s);
    for (const node of s.graph.node) {
      for (const a of node.attribute) {
        const graphs = a.g !== undefined ? [a.g] : a.graphs;
        for (const g of graphs) {
          visit({
            graph: g,
            parent: s,
            owner: node,
            attribute: a.name,
            path: `${s.path}/${node.name || node.opType}.${a.name}`,
          });
        }
      }
    }
  };
  visit(root);
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

type _AttrValue = number | string | readonly number[] | TensorProto | GraphProto;

/** An attribute from a JS value: integer numbers become INT (use `{ float }` for floats), arrays INTS. */
export function _attr(
  name: string,
  value: _AttrValue | { float: number } | { floats: readonly number[] },
): AttributeProto {
  const T = AttributeProto_AttributeType;
  if (typeof value === "number") return create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(value) });
  if (typeof value === "string")
    return create(AttributeProtoSchema, { name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (Array.isArray(value))
    return create(AttributeProtoSchema, { name, type: T.INTS, ints: value.map((v) => BigInt(v)) });
  const v = value as Record<string, unknown>;
  if (typeof v.float === "number") return create(AttributeProtoSchema, { name, type: T.FLOAT, f: v.float });
  if (Array.isArray(v.floats))
    return create(AttributeProtoSchema, { name, type: T.FLOATS, floats: v.floats as number[] });
  if ((v as { $typeName?: string }).$typeName === "onnx.TensorProto") {
    return create(AttributeProtoSchema, { name, type: T.TENSOR, t: value as TensorProto });
  }
  return create(AttributeProtoSchema, { name, type: T.GRAPH, g: value as GraphProto });
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
