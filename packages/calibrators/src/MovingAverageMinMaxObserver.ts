import { MinMaxObserver } from "./MinMaxObserver";
import type { ObserverOptions } from "./observer";

/** Options of {@link MovingAverageMinMaxObserver}. */
export interface MovingAverageMinMaxObserverOptions extends ObserverOptions {
  /** The averaging constant c in (0, 1]. Default 0.01, as PyTorch. */
  averagingConstant?: number;
}

const f32 = Math.fround;

/** Checks an averaging constant: a number in (0, 1]. */
export function _checkAveragingConstant(name: string, c: unknown): number {
  if (typeof c !== "number" || !(c > 0 && c <= 1)) {
    throw new RangeError(`${name}: averagingConstant must be a number in (0, 1], got ${String(c)}`);
  }
  return c;
}

/**
 * The moving-average step in float32, as PyTorch computes it on float32 buffers:
 * running + c * (batch - running), each operation rounded to float32.
 */
export function _movingAverage(running: number, batch: number, c32: number): number {
  return f32(running + f32(c32 * f32(batch - running)));
}

/**
 * PyTorch's `MovingAverageMinMaxObserver`: the first batch sets min and max directly; each later batch
 * moves them toward the batch's own min and max, min = min + c * (min(X) - min), in float32 as PyTorch.
 * Used for activations in QAT, where a running range should forget early batches.
 *
 * @example
 * const obs = new MovingAverageMinMaxObserver({ averagingConstant: 0.5 });
 * obs.observe(new Float32Array([0, 4]));
 * obs.observe(new Float32Array([-2, 2]));
 * [obs.minVal, obs.maxVal]; // [-1, 3]
 */
export class MovingAverageMinMaxObserver extends MinMaxObserver {
  readonly averagingConstant: number;
  private readonly c32: number;

  constructor(options: MovingAverageMinMaxObserverOptions = {}) {
    super(options, "MovingAverageMinMaxObserver", ["averagingConstant"]);
    this.averagingConstant = _checkAveragingConstant(this.name, options.averagingConstant ?? 0.01);
    this.c32 = f32(this.averagingConstant);
  }

  protected override update(min: number, max: number): void {
    if (this.batches === 0) {
      this.minVal = min;
      this.maxVal = max;
    } else {
      this.minVal = _movingAverage(this.minVal, min, this.c32);
      this.maxVal = _movingAverage(this.maxVal, max, this.c32);
    }
  }
}
