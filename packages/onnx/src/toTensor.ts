import { type Tensor, type TypedArray, tensor } from "@quantkit/tensor";
import { _checkOptions } from "./_errors";
import type { TensorProto } from "./_gen/onnx_pb";
import { fromArray } from "./fromArray";
import { toFloat32Array } from "./toFloat32Array";

/**
 * A TensorProto's values as a @quantkit/tensor `Tensor` of float32 (the shape from dims), ready for
 * @quantkit/quantizers and @quantkit/calibrators. float16 / bfloat16 / float8 / integers are decoded
 * as toFloat32Array does.
 *
 * @example
 * ```ts
 * import { DataType, makeTensor, toTensor } from "@quantkit/onnx";
 * toTensor(makeTensor("w", DataType.FLOAT16, [2, 1], [1, 2])).shape; // [2, 1]
 * ```
 */
export function toTensor(proto: TensorProto): Tensor<Float32Array> {
  return tensor(toFloat32Array(proto), proto.dims.map(Number), `tensor ${JSON.stringify(proto.name)}`);
}

/**
 * A TensorProto holding a @quantkit/tensor `Tensor` (storage form, as fromArray takes it; raw_data is a
 * view of `x.data`).
 *
 * @example
 * ```ts
 * import { fromTensor } from "@quantkit/onnx";
 * import { tensor } from "@quantkit/tensor";
 * fromTensor(tensor(new Int8Array([1, 2, 3, 4]), [2, 2]), { name: "q" }).dims; // [2n, 2n]
 * ```
 */
export function fromTensor(
  x: Tensor<TypedArray>,
  options?: { name?: string; dataType?: number },
): TensorProto {
  _checkOptions("fromTensor", options, ["name", "dataType"]);
  return fromArray(x.data, { ...options, dims: x.shape });
}
