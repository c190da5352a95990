import { sizeOf } from "@quantkit/tensor";

/**
 * A trainable tensor: its values, the gradient `backward` accumulates into, and its shape
 * (PyTorch's layout: a Linear weight is `[outFeatures, inFeatures]`). `name` is local in a layer's
 * `parameters()` ("weight") and dotted in a container's ("fc1.weight"); the arrays are shared, so
 * writing into `data` changes the model. Never replace the arrays: copy into them (`data.set(...)`).
 */
export interface Parameter {
  readonly name: string;
  readonly data: Float32Array;
  readonly grad: Float32Array;
  readonly shape: readonly number[];
}

/**
 * A state tensor that is not trained (BatchNorm's running statistics). `num_batches_tracked` is an
 * int64 scalar as in PyTorch's state dicts; everything else is float32.
 */
export type NamedBuffer =
  | {
      readonly name: string;
      readonly dtype: "F32";
      readonly data: Float32Array;
      readonly shape: readonly number[];
    }
  | {
      readonly name: string;
      readonly dtype: "I64";
      readonly data: BigInt64Array;
      readonly shape: readonly number[];
    };

/**
 * A zero-initialised parameter of the given shape (or wrapping `data`, which must fit the shape), with
 * a zeroed gradient of the same size.
 *
 * @example
 * const w = createParameter("weight", [2, 3]);
 * w.data.length // 6
 * w.grad.length // 6
 */
export function createParameter(name: string, shape: readonly number[], data?: Float32Array): Parameter {
  const n = sizeOf(shape);
  if (data !== undefined && data.length !== n) {
    throw new RangeError(`${name} has ${data.length} elements but shape [${shape.join(", ")}] needs ${n}`);
  }
  return { name, data: data ?? new Float32Array(n), grad: new Float32Array(n), shape: [...shape] };
}
