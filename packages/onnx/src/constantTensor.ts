import { _show } from "./_errors";
import type { NodeProto, TensorProto } from "./_gen/onnx_pb";
import { DataType } from "./dataType";
import { makeTensor } from "./makeTensor";

/**
 * The tensor a `Constant` node (default domain) produces: its `value` attribute itself (the live
 * TensorProto: changing it changes the model), or a new tensor built from `value_float` / `value_floats`
 * (float32), `value_int` / `value_ints` (int64), `value_string` / `value_strings`, named after the node's
 * output. `sparse_value` throws (not supported).
 *
 * @example
 * ```ts
 * import { constantTensor, makeNode, toArray } from "@quantkit/onnx";
 * const node = makeNode("Constant", [], ["c"], { attributes: { value_floats: [0.5, 2] } });
 * toArray(constantTensor(node)); // Float32Array [0.5, 2]
 * ```
 */
export function constantTensor(node: NodeProto): TensorProto {
  const where = `constantTensor(node ${_show(node.name)})`;
  if (node.opType !== "Constant" || (node.domain !== "" && node.domain !== "ai.onnx")) {
    throw new TypeError(
      `${where}: not a Constant node (op_type ${_show(node.opType)}, domain ${_show(node.domain)})`,
    );
  }
  const a = node.attribute[0];
  if (a === undefined || node.attribute.length !== 1) {
    throw new Error(`${where}: a Constant needs exactly one attribute, has ${node.attribute.length}`);
  }
  const name = node.output[0] ?? "";
  const decoder = new TextDecoder();
  switch (a.name) {
    case "value":
      if (a.t === undefined) throw new Error(`${where}: attribute value holds no tensor`);
      return a.t;
    case "value_float":
      return makeTensor(name, DataType.FLOAT, [], [a.f]);
    case "value_floats":
      return makeTensor(name, DataType.FLOAT, [a.floats.length], a.floats);
    case "value_int":
      return makeTensor(name, DataType.INT64, [], [a.i]);
    case "value_ints":
      return makeTensor(name, DataType.INT64, [a.ints.length], a.ints);
    case "value_string":
      return makeTensor(name, DataType.STRING, [], [decoder.decode(a.s)]);
    case "value_strings":
      return makeTensor(
        name,
        DataType.STRING,
        [a.strings.length],
        a.strings.map((s) => decoder.decode(s)),
      );
    default:
      throw new Error(`${where}: attribute ${_show(a.name)} is not supported (sparse_value or unknown)`);
  }
}
