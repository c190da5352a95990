import type { Parameter } from "./parameter";

/** What {@link fit} needs from an optimizer: a step from the accumulated gradients, and zeroing them. */
export interface Optimizer {
  /** The learning rate; may be changed between steps (a schedule). */
  lr: number;
  /** Updates every parameter from its `grad`. */
  step(): void;
  /** Zeroes every parameter's `grad`. */
  zeroGrad(): void;
}

/** Checks an optimizer's parameter list and learning rate. */
export function _checkParams(params: readonly Parameter[], lr: number, who: string): void {
  if (!Array.isArray(params) || params.length === 0) {
    throw new RangeError(`${who}: params must be a non-empty array of parameters (model.parameters())`);
  }
  for (const p of params) {
    if (
      !(p.data instanceof Float32Array) ||
      !(p.grad instanceof Float32Array) ||
      p.data.length !== p.grad.length
    ) {
      throw new TypeError(
        `${who}: parameter ${String(p.name)} needs Float32Array data and grad of one length`,
      );
    }
  }
  if (!(lr >= 0) || !Number.isFinite(lr))
    throw new RangeError(`${who}: lr must be a non-negative number, got ${lr}`);
}
