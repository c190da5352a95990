import { clearField } from "@bufbuild/protobuf";
import { float16 } from "@quantkit/numeric";
import { type TensorProto, TensorProtoSchema } from "./_gen/onnx_pb";
import { toFloat32Array } from "./toFloat32Array";

/** The largest finite float16. */
export const FLOAT16_MAX = 65504;

/** What converting one float32 tensor to float16 changed. */
export interface _Float16Change {
  /** Finite values beyond ±65504, clamped to ±65504. */
  overflow: number;
  /** Largest magnitude among them (0 when none). */
  maxAbs: number;
  /** Non-zero values with magnitude below minPositive, raised to ±minPositive. */
  tiny: number;
  /** Smallest non-zero magnitude among them (0 when none). */
  minAbs: number;
}

/**
 * Converts a float32 tensor to float16 in place: finite values beyond ±65504 are clamped to ±65504
 * (never ±inf), non-zero values smaller in magnitude than `minPositive` become ±minPositive (keeping
 * their sign instead of flushing to zero), everything else rounds to nearest even; NaN and ±inf stay.
 * The result lives in raw_data (typed fields cleared).
 */
export function _toFloat16Tensor(tensor: TensorProto, minPositive: number): _Float16Change {
  const values = toFloat32Array(tensor);
  const copy = values.buffer === tensor.rawData.buffer ? values.slice() : values;
  const change: _Float16Change = { overflow: 0, maxAbs: 0, tiny: 0, minAbs: 0 };
  for (let i = 0; i < copy.length; i++) {
    const v = copy[i]!;
    const a = Math.abs(v);
    if (a > FLOAT16_MAX && a !== Number.POSITIVE_INFINITY) {
      change.overflow++;
      if (a > change.maxAbs) change.maxAbs = a;
      copy[i] = v > 0 ? FLOAT16_MAX : -FLOAT16_MAX;
    } else if (a !== 0 && a < minPositive) {
      change.tiny++;
      if (change.minAbs === 0 || a < change.minAbs) change.minAbs = a;
      copy[i] = v > 0 ? minPositive : -minPositive;
    }
  }
  const bits = float16.encodeArray(copy);
  tensor.dataType = 10;
  tensor.rawData = new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
  clearField(tensor, TensorProtoSchema.field.floatData);
  clearField(tensor, TensorProtoSchema.field.int32Data);
  return change;
}
