import type { Shape, Tensor } from "@quantkit/tensor";
import { _checkGrad, _checkInput, _noForward, Module } from "./module";
import { createParameter, type NamedBuffer, type Parameter } from "./parameter";

/** Options of {@link BatchNorm2d}, PyTorch's arguments in camelCase. */
export interface BatchNorm2dOptions {
  /** Added to the variance. Default 1e-5. */
  eps?: number;
  /** Running-statistics update factor, or null for a cumulative average over all batches. Default 0.1. */
  momentum?: number | null;
  /** Learn a per-channel scale (`weight`, gamma) and shift (`bias`, beta). Default true. */
  affine?: boolean;
  /** Keep running statistics (and use them in eval mode). Default true. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over the channels of NCHW input (PyTorch's `nn.BatchNorm2d`). In training mode
 * each channel is normalised by its batch mean and biased variance, and the running statistics move
 * by `momentum` (the running variance takes the unbiased batch variance, n / (n - 1) times the
 * biased one); in eval mode the running statistics are used. Parameters `weight` (gamma, ones) and
 * `bias` (beta, zeros); buffers `running_mean`, `running_var`, `num_batches_tracked` as in PyTorch's
 * state dict. See {@link foldBatchNorm} for PTQ's Conv+BN fusion.
 *
 * @example
 * const bn = new BatchNorm2d(8);
 * bn.forward(x, [N, 8, H, W]); // training: batch statistics, running stats updated
 * bn.eval().forward(x, [N, 8, H, W]); // eval: running statistics
 */
export class BatchNorm2d extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Float32Array | null;
  readonly runningVar: Float32Array | null;
  /** Batches seen in training mode (PyTorch's int64 `num_batches_tracked`). */
  readonly numBatchesTracked = new BigInt64Array(1);
  private last:
    | { x: Float32Array; shape: Shape; xhat: Float32Array; invStd: Float64Array; batchStats: boolean }
    | undefined;

  constructor(
    readonly numFeatures: number,
    options: BatchNorm2dOptions = {},
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0)
      throw new RangeError(`numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    if (!(this.eps > 0)) throw new RangeError(`eps must be positive, got ${this.eps}`);
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new RangeError(`momentum must be in [0, 1] or null, got ${this.momentum}`);
    }
    const affine = options.affine ?? true;
    this.weight = affine
      ? createParameter("weight", [numFeatures], new Float32Array(numFeatures).fill(1))
      : null;
    this.bias = affine ? createParameter("bias", [numFeatures]) : null;
    const track = options.trackRunningStats ?? true;
    this.runningMean = track ? new Float32Array(numFeatures) : null;
    this.runningVar = track ? new Float32Array(numFeatures).fill(1) : null;
  }

  override ownParameters(): Parameter[] {
    return this.weight === null || this.bias === null ? [] : [this.weight, this.bias];
  }

  override ownBuffers(): NamedBuffer[] {
    if (this.runningMean === null || this.runningVar === null) return [];
    const c = [this.numFeatures];
    return [
      { name: "running_mean", dtype: "F32", data: this.runningMean, shape: c },
      { name: "running_var", dtype: "F32", data: this.runningVar, shape: c },
      { name: "num_batches_tracked", dtype: "I64", data: this.numBatchesTracked, shape: [] },
    ];
  }

  /** Resets the running statistics to mean 0, variance 1, no batches seen. */
  resetRunningStats(): void {
    this.runningMean?.fill(0);
    this.runningVar?.fill(1);
    this.numBatchesTracked[0] = 0n;
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    _checkInput(this, x, shape);
    if (shape.length !== 4 || shape[1] !== this.numFeatures) {
      throw new RangeError(
        `BatchNorm2d.forward: input must be NCHW [N, ${this.numFeatures}, H, W], got [${shape.join(", ")}]`,
      );
    }
    const [n, c, h, w] = shape as [number, number, number, number];
    const hw = h * w;
    const count = n * hw;
    const batchStats = this.training || this.runningMean === null;
    if (batchStats && count <= 1) {
      throw new RangeError(
        `BatchNorm2d: expected more than 1 value per channel when training, got input shape [${shape.join(", ")}]`,
      );
    }
    const mean = new Float64Array(c);
    const invStd = new Float64Array(c);
    if (batchStats) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const off = (i * c + ch) * hw;
          for (let j = 0; j < hw; j++) s += x[off + j]!;
        }
        const mu = s / count;
        let ss = 0;
        for (let i = 0; i < n; i++) {
          const off = (i * c + ch) * hw;
          for (let j = 0; j < hw; j++) {
            const d = x[off + j]! - mu;
            ss += d * d;
          }
        }
        const variance = ss / count;
        mean[ch] = mu;
        invStd[ch] = 1 / Math.sqrt(variance + this.eps);
        if (this.training && this.runningMean !== null && this.runningVar !== null) {
          const m = this.momentum ?? 1 / (Number(this.numBatchesTracked[0]) + 1);
          this.runningMean[ch] = (1 - m) * this.runningMean[ch]! + m * mu;
          this.runningVar[ch] = (1 - m) * this.runningVar[ch]! + (m * ss) / (count - 1);
        }
      }
      if (this.training && this.runningMean !== null)
        this.numBatchesTracked[0] = this.numBatchesTracked[0]! + 1n;
    } else {
      for (let ch = 0; ch < c; ch++) {
        mean[ch] = this.runningMean![ch]!;
        invStd[ch] = 1 / Math.sqrt(this.runningVar![ch]! + this.eps);
      }
    }
    const out = new Float32Array(x.length);
    const xhat = new Float32Array(x.length);
    for (let i = 0; i < n; i++) {
      for (let ch = 0; ch < c; ch++) {
        const off = (i * c + ch) * hw;
        const mu = mean[ch]!;
        const is = invStd[ch]!;
        const gamma = this.weight?.data[ch] ?? 1;
        const beta = this.bias?.data[ch] ?? 0;
        for (let j = 0; j < hw; j++) {
          const xh = (x[off + j]! - mu) * is;
          xhat[off + j] = xh;
          out[off + j] = xh * gamma + beta;
        }
      }
    }
    this.last = { x, shape, xhat, invStd, batchStats };
    return { data: out, shape };
  }

  backward(gradOut: Float32Array): Float32Array {
    const last = this.last;
    if (last === undefined) throw _noForward(this);
    _checkGrad(this, gradOut, last.x.length);
    const [n, c, h, w] = last.shape as [number, number, number, number];
    const hw = h * w;
    const count = n * hw;
    const dx = new Float32Array(gradOut.length);
    for (let ch = 0; ch < c; ch++) {
      // sums of dL/dy and dL/dy * xhat over the channel: dbeta and dgamma
      let sumG = 0;
      let sumGX = 0;
      for (let i = 0; i < n; i++) {
        const off = (i * c + ch) * hw;
        for (let j = 0; j < hw; j++) {
          sumG += gradOut[off + j]!;
          sumGX += gradOut[off + j]! * last.xhat[off + j]!;
        }
      }
      if (this.weight !== null && this.bias !== null) {
        this.weight.grad[ch] = this.weight.grad[ch]! + sumGX;
        this.bias.grad[ch] = this.bias.grad[ch]! + sumG;
      }
      const gamma = this.weight?.data[ch] ?? 1;
      const is = last.invStd[ch]!;
      for (let i = 0; i < n; i++) {
        const off = (i * c + ch) * hw;
        for (let j = 0; j < hw; j++) {
          const g = gradOut[off + j]!;
          dx[off + j] = last.batchStats
            ? // the mean and variance depend on x too: dx = gamma * invStd * (g - mean(g) - xhat * mean(g * xhat))
              gamma * is * (g - sumG / count - (last.xhat[off + j]! * sumGX) / count)
            : gamma * is * g;
        }
      }
    }
    return dx;
  }

  override extraRepr(): string {
    const affine = this.weight !== null ? "True" : "False";
    const track = this.runningMean !== null ? "True" : "False";
    // Python's float repr: 1e-05, not 0.00001
    const eps =
      this.eps < 1e-4 ? this.eps.toExponential().replace(/e([+-])(\d)$/, "e$10$2") : String(this.eps);
    return `${this.numFeatures}, eps=${eps}, momentum=${this.momentum ?? "None"}, affine=${affine}, track_running_stats=${track}`;
  }
}
