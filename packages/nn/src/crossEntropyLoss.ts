import type { Shape } from "@quantkit/tensor";

/** Options of {@link CrossEntropyLoss}, PyTorch's arguments in camelCase. */
export interface CrossEntropyLossOptions {
  /** "mean" over the batch (default) or "sum". */
  reduction?: "mean" | "sum";
  /** Mixes the one-hot target with the uniform distribution by this much, in [0, 1). Default 0. */
  labelSmoothing?: number;
}

/**
 * Softmax cross-entropy on logits `[N, C]` and class indices (PyTorch's `nn.CrossEntropyLoss`):
 * loss_i = logsumexp(z_i) - z_i[y_i], computed stably (the row maximum subtracted first) in float64,
 * averaged over the batch. `backward()` returns dLoss/dlogits = (softmax(z) - onehot(y)) / N.
 *
 * @example
 * const lossFn = new CrossEntropyLoss();
 * lossFn.forward(new Float32Array([0, 0]), [1, 2], [1]) // ln 2 = 0.6931…
 * lossFn.backward()                                     // Float32Array [0.5, -0.5]
 */
export class CrossEntropyLoss {
  readonly reduction: "mean" | "sum";
  readonly labelSmoothing: number;
  private lastGrad: Float32Array | undefined;

  constructor(options: CrossEntropyLossOptions = {}) {
    this.reduction = options.reduction ?? "mean";
    if (this.reduction !== "mean" && this.reduction !== "sum") {
      throw new RangeError(`reduction must be "mean" or "sum", got ${String(this.reduction)}`);
    }
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing < 1)) {
      throw new RangeError(`labelSmoothing must be in [0, 1), got ${this.labelSmoothing}`);
    }
  }

  /** The loss for logits `[N, C]` and N class indices in 0..C-1; remembers the gradient for `backward`. */
  forward(logits: Float32Array, shape: Shape, target: ArrayLike<number>): number {
    if (shape.length !== 2)
      throw new RangeError(`CrossEntropyLoss: logits must be [N, C], got [${shape.join(", ")}]`);
    const [n, c] = shape as [number, number];
    if (logits.length !== n * c)
      throw new RangeError(
        `CrossEntropyLoss: logits has ${logits.length} elements, shape [${n}, ${c}] needs ${n * c}`,
      );
    if (target.length !== n)
      throw new RangeError(`CrossEntropyLoss: target has ${target.length} entries for a batch of ${n}`);
    if (n === 0) throw new RangeError("CrossEntropyLoss: empty batch");
    const eps = this.labelSmoothing;
    const scale = this.reduction === "mean" ? 1 / n : 1;
    const grad = new Float32Array(n * c);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const y = target[i]!;
      if (!Number.isInteger(y) || y < 0 || y >= c)
        throw new RangeError(`target[${i}] is ${y}, outside the classes 0..${c - 1}`);
      const row = i * c;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < c; j++) max = Math.max(max, logits[row + j]!);
      let sumExp = 0;
      for (let j = 0; j < c; j++) sumExp += Math.exp(logits[row + j]! - max);
      const logSumExp = max + Math.log(sumExp);
      // -sum_j q_j log p_j with q = (1 - eps) onehot + eps / C
      let loss = (1 - eps) * (logSumExp - logits[row + y]!);
      if (eps > 0) {
        let sumNegLogP = 0;
        for (let j = 0; j < c; j++) sumNegLogP += logSumExp - logits[row + j]!;
        loss += (eps / c) * sumNegLogP;
      }
      total += loss;
      for (let j = 0; j < c; j++) {
        const p = Math.exp(logits[row + j]! - logSumExp);
        const q = (j === y ? 1 - eps : 0) + eps / c;
        grad[row + j] = (p - q) * scale;
      }
    }
    this.lastGrad = grad;
    return total * scale;
  }

  /** dLoss/dlogits for the last `forward`. */
  backward(): Float32Array {
    if (this.lastGrad === undefined) throw new Error("CrossEntropyLoss.backward called before forward");
    return this.lastGrad;
  }
}
