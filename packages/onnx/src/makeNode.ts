import { create } from "@bufbuild/protobuf";
import { _checkOptions } from "./_errors";
import { type NodeProto, NodeProtoSchema } from "./_gen/onnx_pb";
import { type AttributeValue, makeAttribute } from "./attribute";

/** Options of {@link makeNode}. */
export interface MakeNodeOptions {
  /** The node's name (unique in its graph; see createNameScope). */
  name?: string;
  /** Operator set domain: "" (ai.onnx, the default), "com.microsoft"... */
  domain?: string;
  /** Attributes by name, values as makeAttribute takes them. */
  attributes?: Record<string, AttributeValue>;
}

/**
 * A new node, like onnx.helper.make_node. An empty string in `inputs` is an omitted optional input.
 *
 * @example
 * ```ts
 * import { makeNode } from "@quantkit/onnx";
 * makeNode("Cast", ["x"], ["x_fp16"], { name: "cast_x", attributes: { to: 10 } }).opType; // "Cast"
 * ```
 */
export function makeNode(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  options?: MakeNodeOptions,
): NodeProto {
  _checkOptions("makeNode", options, ["name", "domain", "attributes"]);
  const node = create(NodeProtoSchema, { opType, input: [...inputs], output: [...outputs] });
  if (options?.name !== undefined) node.name = options.name;
  if (options?.domain !== undefined) node.domain = options.domain;
  for (const [k, v] of Object.entries(options?.attributes ?? {})) node.attribute.push(makeAttribute(k, v));
  return node;
}
