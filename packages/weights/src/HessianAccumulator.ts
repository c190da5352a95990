import { _addGramUpper } from "./_matmul";
/**
 * GPTQ's Hessian of a linear layer's inputs, H = (2 / n) X^T X over all n calibration rows seen, accumulated
 * batch by batch in float64 (the reference rescales H on every batch; summing X^T X and dividing once at the
 * end is the same matrix with less rounding).
 *
 * @example
 * import { HessianAccumulator } from "@quantkit/weights";
 * const h = new HessianAccumulator(2);
 * h.addBatch(new Float32Array([1, 0, 1, 2]), 2); // rows [1, 0] and [1, 2]
 * h.hessian() // Float64Array [2, 2, 2, 4]  (= 2/2 * [[2, 2], [2, 4]])
 */
export class HessianAccumulator {
  readonly K: number;
  private readonly sum: Float64Array;
  private rows = 0;

  constructor(K: number) {
    if (!Number.isInteger(K) || K <= 0)
      throw new RangeError(`HessianAccumulator: K must be a positive integer, got ${K}`);
    this.K = K;
    this.sum = new Float64Array(K * K);
  }

  /** Calibration rows seen so far. */
  get samples(): number {
    return this.rows;
  }

  /**
   * Adds `rows` input rows x [rows, K] (row-major) of the layer.
   */
  addBatch(x: Float32Array, rows = x.length / this.K): this {
    const K = this.K;
    if (!(x instanceof Float32Array)) {
      throw new TypeError(
        `HessianAccumulator.addBatch: x must be a Float32Array, got ${Object.prototype.toString.call(x)}`,
      );
    }
    if (!Number.isInteger(rows) || rows <= 0 || x.length !== rows * K) {
      throw new RangeError(
        `HessianAccumulator.addBatch: x has ${x.length} elements, not rows x K with K = ${K} (rows ${rows})`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v - v !== 0) {
        throw new RangeError(
          `HessianAccumulator.addBatch: x[${i}] (row ${Math.floor(i / K)}, column ${i % K}) is ${v}`,
        );
      }
    }
    _addGramUpper(x, rows, K, this.sum); // upper triangle only, mirrored in hessian()
    this.rows += rows;
    return this;
  }

  /** H = (2 / n) X^T X, K x K row-major (a new array). Throws before any row was added. */
  hessian(): Float64Array {
    const K = this.K;
    if (this.rows === 0) throw new RangeError("HessianAccumulator.hessian: no calibration rows were added");
    const h = new Float64Array(K * K);
    const f = 2 / this.rows;
    for (let i = 0; i < K; i++) {
      for (let j = i; j < K; j++) {
        const v = this.sum[i * K + j]! * f;
        h[i * K + j] = v;
        h[j * K + i] = v;
      }
    }
    return h;
  }
}
