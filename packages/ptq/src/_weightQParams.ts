import type { Parameter } from "@quantkit/nn";
import { isPerChannel, type QParams } from "@quantkit/quantizers";
import { createObserverFrom, type ObserverFactory } from "./qconfig";

/**
 * The weight's qparams from a fresh observer of the qconfig (PyTorch observes weights at convert
 * time): symmetric, zero point 0, per tensor or per output channel (axis 0). RangeError otherwise.
 */
export function _weightQParams(factory: ObserverFactory, weight: Parameter, where: string): QParams {
  const observer = createObserverFrom(factory, `${where}: qconfig.weight`);
  observer.observe(weight.data, weight.shape);
  const q = observer.calculateQParams();
  _checkWeightQParams(q, weight.shape, where);
  return q;
}

/** Checks weight qparams against the int8 kernels' contract. */
export function _checkWeightQParams(q: QParams, shape: readonly number[], where: string): void {
  for (let c = 0; c < q.zeroPoint.length; c++) {
    if (q.zeroPoint[c] !== 0) {
      throw new RangeError(
        `${where}: weight zero point must be 0 (symmetric int8 weights), got ${q.zeroPoint[c]} (${q.qscheme})`,
      );
    }
  }
  if (q.quantMin < -128 || q.quantMax > 127) {
    throw new RangeError(`${where}: weight codes must fit int8, got [${q.quantMin}, ${q.quantMax}]`);
  }
  if (isPerChannel(q.qscheme)) {
    if ((q.axis ?? 0) !== 0 || q.groupSize !== undefined || q.scale.length !== shape[0]) {
      throw new RangeError(
        `${where}: per-channel weight scales must be one per output channel (axis 0, ${shape[0]} scales), got axis ${q.axis ?? 0} with ${q.scale.length} scales`,
      );
    }
  } else if (q.scale.length !== 1) {
    throw new RangeError(`${where}: a per-tensor weight scale must be one number, got ${q.scale.length}`);
  }
}
