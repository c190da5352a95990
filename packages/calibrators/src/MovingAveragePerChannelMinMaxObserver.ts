import { _checkAveragingConstant, _movingAverage } from "./MovingAverageMinMaxObserver";
import { PerChannelMinMaxObserver, type PerChannelMinMaxObserverOptions } from "./PerChannelMinMaxObserver";

/** Options of {@link MovingAveragePerChannelMinMaxObserver}. */
export interface MovingAveragePerChannelMinMaxObserverOptions extends PerChannelMinMaxObserverOptions {
  /** The averaging constant c in (0, 1]. Default 0.01, as PyTorch. */
  averagingConstant?: number;
}

/**
 * PyTorch's `MovingAveragePerChannelMinMaxObserver`: per channel along `chAxis`, the first batch sets
 * min and max, later batches move them by min = min + c * (min(X) - min) in float32.
 *
 * @example
 * const obs = new MovingAveragePerChannelMinMaxObserver({ chAxis: 1, averagingConstant: 0.5 });
 * obs.observe(new Float32Array([0, 0, 4, 8]), [2, 2]);
 * obs.observe(new Float32Array([0, 0, 2, 2]), [2, 2]);
 * Array.from(obs.maxVal); // [3, 5]
 */
export class MovingAveragePerChannelMinMaxObserver extends PerChannelMinMaxObserver {
  readonly averagingConstant: number;
  private readonly c32: number;

  constructor(options: MovingAveragePerChannelMinMaxObserverOptions = {}) {
    super(options, "MovingAveragePerChannelMinMaxObserver", ["averagingConstant"]);
    this.averagingConstant = _checkAveragingConstant(this.name, options.averagingConstant ?? 0.01);
    this.c32 = Math.fround(this.averagingConstant);
  }

  protected override update(mins: Float32Array, maxs: Float32Array): void {
    if (this.batches === 0) {
      this.minVal = mins;
      this.maxVal = maxs;
      return;
    }
    for (let c = 0; c < mins.length; c++) {
      this.minVal[c] = _movingAverage(this.minVal[c]!, mins[c]!, this.c32);
      this.maxVal[c] = _movingAverage(this.maxVal[c]!, maxs[c]!, this.c32);
    }
  }
}
