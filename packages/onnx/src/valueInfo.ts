import { create } from "@bufbuild/protobuf";
import { _show } from "./_errors";
import {
  type GraphProto,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from "./_gen/onnx_pb";

/** A dimension: a number, a symbolic name ("batch"), or null for unknown. */
export type Dim = number | string | null;

/** The tensor type of a value: element data type and shape (undefined shape: unknown rank). */
export interface ValueType {
  elemType: number;
  shape: Dim[] | undefined;
}

/**
 * A value_info entry for a tensor, like onnx.helper.make_tensor_value_info.
 *
 * @example
 * ```ts
 * import { DataType, makeValueInfo } from "@quantkit/onnx";
 * makeValueInfo("x", DataType.FLOAT, ["batch", 3]).name; // "x"
 * ```
 */
export function makeValueInfo(name: string, elemType: number, shape?: readonly Dim[]): ValueInfoProto {
  const tensor = create(TypeProto_TensorSchema, { elemType });
  if (shape !== undefined) {
    tensor.shape = create(TensorShapeProtoSchema, {
      dim: shape.map((d) => {
        if (d === null) return create(TensorShapeProto_DimensionSchema);
        if (typeof d === "string")
          return create(TensorShapeProto_DimensionSchema, { value: { case: "dimParam", value: d } });
        if (!Number.isSafeInteger(d) || d < 0)
          throw new RangeError(`makeValueInfo(${_show(name)}): bad dimension ${_show(d)}`);
        return create(TensorShapeProto_DimensionSchema, { value: { case: "dimValue", value: BigInt(d) } });
      }),
    });
  }
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: "tensorType", value: tensor } }),
  });
}

/** The tensor type a value_info declares, or undefined when it is not a tensor type. */
export function _typeOf(info: ValueInfoProto): ValueType | undefined {
  const v = info.type?.value;
  if (v?.case !== "tensorType") return undefined;
  const shape = v.value.shape?.dim.map(
    (d): Dim =>
      d.value.case === "dimValue"
        ? Number(d.value.value)
        : d.value.case === "dimParam"
          ? d.value.value
          : null,
  );
  return { elemType: v.value.elemType, shape };
}

/**
 * The declared tensor type of a value in a graph: from inputs, outputs, value_info, or an initializer
 * of that name; undefined when the graph declares none.
 *
 * @example
 * ```ts
 * import { DataType, makeGraph, makeValueInfo, valueType } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g", input: [makeValueInfo("x", DataType.FLOAT, [2])] });
 * valueType(g, "x"); // { elemType: 1, shape: [2] }
 * ```
 */
export function valueType(graph: GraphProto, name: string): ValueType | undefined {
  for (const list of [graph.input, graph.output, graph.valueInfo]) {
    const info = list.find((v) => v.name === name);
    if (info !== undefined) return _typeOf(info);
  }
  const init = graph.initializer.find((t) => t.name === name);
  if (init !== undefined) return { elemType: init.dataType, shape: init.dims.map(Number) };
  return undefined;
}

/**
 * Sets the element type (and, when given, the shape) of a value everywhere the graph declares it
 * (input, output, value_info); when it is declared nowhere, adds a value_info entry. Returns how many
 * entries changed or were added.
 *
 * @example
 * ```ts
 * import { DataType, makeGraph, setValueType, valueType } from "@quantkit/onnx";
 * const g = makeGraph({ name: "g" });
 * setValueType(g, "h", DataType.FLOAT16, [4]);
 * valueType(g, "h")?.elemType; // 10
 * ```
 */
export function setValueType(
  graph: GraphProto,
  name: string,
  elemType: number,
  shape?: readonly Dim[],
): number {
  let changed = 0;
  for (const list of [graph.input, graph.output, graph.valueInfo]) {
    for (let i = 0; i < list.length; i++) {
      const info = list[i]!;
      if (info.name !== name) continue;
      const v = info.type?.value;
      if (v?.case === "tensorType" && shape === undefined) {
        v.value.elemType = elemType;
      } else {
        const fresh = makeValueInfo(name, elemType, shape ?? _typeOf(info)?.shape);
        info.type = fresh.type;
      }
      changed++;
    }
  }
  if (changed === 0) {
    graph.valueInfo.push(makeValueInfo(name, elemType, shape));
    changed = 1;
  }
  return changed;
}
