import { type TensorProto, TensorProto_DataLocation } from "./_gen/onnx_pb";
import { _LITTLE_ENDIAN } from "./_storage";
import { toFloat32Array } from "./toFloat32Array";

/**
 * One reusable Float32Array for values read once and dropped (a weight about to be quantized): unaligned
 * raw_data is copied here instead of into a new array per tensor, so that quantizing a model does not
 * leave a float copy of every weight behind for the garbage collector.
 */
export class _Float32Scratch {
  #floats = new Float32Array(0);
  /** `n` floats (their contents undefined), valid until the next call. */
  take(n: number): Float32Array {
    if (this.#floats.length < n) this.#floats = new Float32Array(n);
    return this.#floats.subarray(0, n);
  }
}

/**
 * The values of a float32 tensor, read only: a view of its raw_data when that is 4-byte aligned and
 * complete (no copy of the model's bytes; never write into it), else a copy: into `scratch` when given
 * (valid until its next use), otherwise toFloat32Array's new array (which also throws toArray's errors
 * for bad sizes or external data).
 */
export function _float32View(tensor: TensorProto, scratch?: _Float32Scratch): Float32Array {
  const raw = tensor.rawData;
  const plain =
    tensor.dataType === 1 &&
    _LITTLE_ENDIAN &&
    tensor.dataLocation === TensorProto_DataLocation.DEFAULT &&
    tensor.segment === undefined &&
    raw.length > 0 &&
    raw.length === _count(tensor) * 4;
  if (!plain) return toFloat32Array(tensor);
  if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  if (scratch === undefined) return toFloat32Array(tensor);
  const out = scratch.take(raw.length / 4);
  new Uint8Array(out.buffer, out.byteOffset, raw.length).set(raw);
  return out;
}

/** The element count of a tensor's dims, or -1 when a dimension is negative (toArray then says why). */
function _count(tensor: TensorProto): number {
  let n = 1;
  for (const d of tensor.dims) {
    if (d < 0n) return -1;
    n *= Number(d);
  }
  return n;
}
