import { create } from "@bufbuild/protobuf";
import { _show } from "./_errors";
import {
  AttributeProto_AttributeType as AT,
  type AttributeProto,
  AttributeProtoSchema,
  type GraphProto,
  type NodeProto,
  type TensorProto,
} from "./_gen/onnx_pb";

/** What an attribute holds, decoded: ints as bigint (ONNX int64), strings from UTF-8. */
export type AttributeValue =
  | number
  | bigint
  | string
  | TensorProto
  | GraphProto
  | number[]
  | bigint[]
  | string[]
  | TensorProto[]
  | GraphProto[];

/**
 * An attribute from a JS value, like onnx.helper.make_attribute: a number that is an integer becomes
 * INT unless `type` says FLOAT, a bigint INT, a string STRING (UTF-8 bytes), a TensorProto TENSOR, a
 * GraphProto GRAPH; arrays give the list types (an empty array needs `type`).
 *
 * @example
 * ```ts
 * import { makeAttribute } from "@quantkit/onnx";
 * makeAttribute("alpha", 0.5).f; // 0.5
 * makeAttribute("perm", [0, 2, 1]).ints; // [0n, 2n, 1n]
 * ```
 */
export function makeAttribute(name: string, value: AttributeValue, type?: AT): AttributeProto {
  const where = `makeAttribute(${_show(name)})`;
  const a = create(AttributeProtoSchema, { name });
  const encoder = new TextEncoder();
  if (Array.isArray(value)) {
    const first = value[0];
    const t = type ?? _listType(first, value as unknown[]);
    if (t === undefined) throw new TypeError(`${where}: cannot infer the type of ${_show(value)}; pass type`);
    a.type = t;
    if (t === AT.FLOATS) a.floats = (value as number[]).map(Number);
    else if (t === AT.INTS) a.ints = (value as Array<number | bigint>).map((v) => _int(v, where));
    else if (t === AT.STRINGS) a.strings = (value as string[]).map((s) => encoder.encode(s));
    else if (t === AT.TENSORS) a.tensors = value as TensorProto[];
    else if (t === AT.GRAPHS) a.graphs = value as GraphProto[];
    else throw new TypeError(`${where}: type ${_show(t)} does not take a list`);
    return a;
  }
  const t = type ?? _scalarType(value);
  if (t === undefined) throw new TypeError(`${where}: unsupported value ${_show(value)}`);
  a.type = t;
  if (t === AT.FLOAT) a.f = Number(value);
  else if (t === AT.INT) a.i = _int(value as number | bigint, where);
  else if (t === AT.STRING) a.s = encoder.encode(value as string);
  else if (t === AT.TENSOR) a.t = value as TensorProto;
  else if (t === AT.GRAPH) a.g = value as GraphProto;
  else throw new TypeError(`${where}: type ${_show(t)} does not take a single value`);
  return a;
}

/**
 * The decoded value of a node's attribute, or `undefined` when the node has none of that name.
 *
 * @example
 * ```ts
 * import { getAttribute, makeNode } from "@quantkit/onnx";
 * getAttribute(makeNode("Gemm", ["a", "b"], ["y"], { attributes: { transB: 1 } }), "transB"); // 1n
 * ```
 */
export function getAttribute(node: NodeProto, name: string): AttributeValue | undefined {
  const a = node.attribute.find((x) => x.name === name);
  if (a === undefined) return undefined;
  const decoder = new TextDecoder();
  switch (a.type) {
    case AT.FLOAT:
      return a.f;
    case AT.INT:
      return a.i;
    case AT.STRING:
      return decoder.decode(a.s);
    case AT.TENSOR:
      return a.t;
    case AT.GRAPH:
      return a.g;
    case AT.FLOATS:
      return a.floats;
    case AT.INTS:
      return a.ints;
    case AT.STRINGS:
      return a.strings.map((s) => decoder.decode(s));
    case AT.TENSORS:
      return a.tensors;
    case AT.GRAPHS:
      return a.graphs;
    default:
      throw new TypeError(
        `getAttribute: attribute ${_show(name)} of node ${_show(node.name)} (${node.opType}) has type ${_show(a.type)}, not decoded here`,
      );
  }
}

/**
 * Sets (adds or replaces) an attribute on a node; returns the node.
 *
 * @example
 * ```ts
 * import { getAttribute, makeNode, setAttribute } from "@quantkit/onnx";
 * getAttribute(setAttribute(makeNode("Cast", ["x"], ["y"]), "to", 10), "to"); // 10n
 * ```
 */
export function setAttribute(node: NodeProto, name: string, value: AttributeValue, type?: AT): NodeProto {
  const a = makeAttribute(name, value, type);
  const i = node.attribute.findIndex((x) => x.name === name);
  if (i >= 0) node.attribute[i] = a;
  else node.attribute.push(a);
  return node;
}

function _int(v: number | bigint, where: string): bigint {
  if (typeof v === "bigint") return v;
  if (!Number.isSafeInteger(v)) throw new RangeError(`${where}: ${_show(v)} is not an integer`);
  return BigInt(v);
}

function _scalarType(v: unknown): AT | undefined {
  if (typeof v === "bigint") return AT.INT;
  if (typeof v === "number") return Number.isInteger(v) ? AT.INT : AT.FLOAT;
  if (typeof v === "string") return AT.STRING;
  if (_isMessage(v, "onnx.TensorProto")) return AT.TENSOR;
  if (_isMessage(v, "onnx.GraphProto")) return AT.GRAPH;
  return undefined;
}

function _listType(first: unknown, all: unknown[]): AT | undefined {
  if (typeof first === "number" || typeof first === "bigint") {
    return all.every((v) => typeof v === "bigint" || Number.isInteger(v)) ? AT.INTS : AT.FLOATS;
  }
  if (typeof first === "string") return AT.STRINGS;
  if (_isMessage(first, "onnx.TensorProto")) return AT.TENSORS;
  if (_isMessage(first, "onnx.GraphProto")) return AT.GRAPHS;
  return undefined;
}

function _isMessage(v: unknown, typeName: string): boolean {
  return typeof v === "object" && v !== null && (v as { $typeName?: string }).$typeName === typeName;
}
