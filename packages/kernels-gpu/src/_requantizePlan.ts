import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _requantLimbsSource } from "./_kernelSources";
import { _requantParams } from "./_requantParams";
import { _checkDim, _checkInt, _checkLength, _checkRequant, _checkSize, _checkType } from "./_validate";

/** Parameters of `Kernels.requantize`. */
export interface _RequantizeParams {
  multiplier: Int32Array;
  shift: Int32Array;
  outputZeroPoint: number;
  outputMin: number;
  outputMax: number;
  channels: number;
}

/**
 * Requantizes int32 accumulators on the device (channel = last axis). An int32 does not fit a
 * float32, so each crosses as two exact limbs (acc >> 12 and acc & 4095), split here on the host.
 * The result is a Uint8Array, or an Int8Array when outputMin < 0, unless `out` is given.
 */
export function* _requantizePlan(
  dev: _Device,
  acc: Int32Array,
  params: _RequantizeParams,
  out?: Uint8Array | Int8Array,
): _Plan<Uint8Array | Int8Array> {
  _checkType("acc", acc, Int32Array);
  if (params === null || typeof params !== "object") throw new TypeError("params must be an object");
  const { channels } = params;
  _checkDim("params.channels", channels);
  if (acc.length % channels !== 0) {
    throw new RangeError(`acc.length (${acc.length}) must be a multiple of params.channels (${channels})`);
  }
  _checkSize("2 * acc.length", 2 * acc.length);
  _checkInt("params.outputMin", params.outputMin, -128, 255);
  const result = out ?? (params.outputMin < 0 ? new Int8Array(acc.length) : new Uint8Array(acc.length));
  if (!(result instanceof Uint8Array) && !(result instanceof Int8Array)) {
    throw new TypeError(`out must be a Uint8Array or an Int8Array, got ${String(result)}`);
  }
  _checkLength("out", result, acc.length, "acc.length");
  _checkRequant("params", params, channels, result instanceof Int8Array ? [-128, 127] : [0, 255]);
  if (acc.length === 0) return result;
  const limbs = new Float32Array(2 * acc.length);
  for (let e = 0; e < acc.length; e++) {
    const v = acc[e]!;
    limbs[2 * e] = v >> 12;
    limbs[2 * e + 1] = v & 4095;
  }
  const rq = _requantParams(channels, params.multiplier, params.shift, null);
  const held: _DeviceArray[] = [];
  try {
    const tDev = yield* dev.upload(limbs);
    held.push(tDev);
    const rqDev = yield* dev.upload(rq);
    held.push(rqDev);
    const codes = yield* dev.compute(_requantLimbsSource(channels), [acc.length], 31, [
      tDev,
      rqDev,
      params.outputZeroPoint,
      params.outputMin,
      params.outputMax,
    ]);
    held.push(codes);
    result.set(yield* dev.read(held.pop(), acc.length));
    return result;
  } finally {
    for (const v of held) dev.release(v);
  }
}
