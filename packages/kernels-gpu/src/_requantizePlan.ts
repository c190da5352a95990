import { checkRequantizeArgs, type RequantizeParams } from "@quantkit/kernels";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _requantLimbsSource } from "./_kernelSources";
import { _checkElements } from "./_limits";
import { _requantParams } from "./_requantParams";

/**
 * Requantizes int32 accumulators on the device (channel = last axis). An int32 does not fit a
 * float32, so each crosses as two exact limbs (acc >> 12 and acc & 4095), split here on the host.
 * The result is a Uint8Array, or an Int8Array when outputMin < 0, unless `out` is given.
 */
export function* _requantizePlan(
  dev: _Device,
  acc: Int32Array,
  params: RequantizeParams,
  out?: Uint8Array | Int8Array,
): _Plan<Uint8Array | Int8Array> {
  const result = checkRequantizeArgs(acc, params, out);
  _checkElements("2 * acc.length", 2 * acc.length);
  const { channels } = params;
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
