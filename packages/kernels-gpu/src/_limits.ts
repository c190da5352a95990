import { _MAX_K } from "./_blockPlan";

/**
 * Largest flat array a kernel reads or writes: indices are computed in float32 and divided by
 * dimensions with a one-step correction, which is exact below 2^23.
 */
export const _MAX_ELEMENTS = 2 ** 23;

/**
 * The GPU kernels' own bounds, checked after @quantkit/kernels' contract checks (which every backend
 * shares): RangeError unless `value` <= `max`, saying why the bound exists.
 */
export function _checkLimit(name: string, value: number, max: number, why: string): void {
  if (value > max) {
    throw new RangeError(`${name} must be at most ${max} on the GPU kernels (${why}), got ${value}`);
  }
}

/** A flat array size: float32 index arithmetic is exact below {@link _MAX_ELEMENTS}. */
export function _checkElements(name: string, value: number): void {
  _checkLimit(name, value, _MAX_ELEMENTS, "float32 index arithmetic");
}

/** A reduction length: the exact limb arithmetic holds up to {@link _MAX_K}. */
export function _checkReduction(name: string, value: number): void {
  _checkLimit(name, value, _MAX_K, "exact float32 limb sums");
}
