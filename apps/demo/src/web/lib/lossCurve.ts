/**
 * A training loss curve of bounded size: the mean loss over buckets of consecutive steps. When the
 * curve would pass `maxPoints`, neighbouring buckets merge (the bucket doubles), so a long run keeps
 * its whole history at a coarser step.
 */

export interface LossPoint {
  /** The last step of the bucket (1-based: after `step` optimizer steps). */
  step: number;
  /** Mean loss over the bucket. */
  loss: number;
}

export class LossCurve {
  private readonly maxPoints: number;
  private bucket = 1;
  private sums: number[] = [];
  private counts: number[] = [];
  private ends: number[] = [];
  private steps = 0;

  /**
   * @example
   * const curve = new LossCurve(100);
   * curve.add(2.3); curve.add(2.1);
   * curve.points() // [{ step: 1, loss: 2.3 }, { step: 2, loss: 2.1 }]
   */
  constructor(maxPoints = 240) {
    if (!Number.isInteger(maxPoints) || maxPoints < 2)
      throw new RangeError(`maxPoints must be an integer >= 2, got ${maxPoints}`);
    this.maxPoints = maxPoints;
  }

  /** Records the loss of the next step. */
  add(loss: number): void {
    this.steps++;
    const last = this.sums.length - 1;
    if (last >= 0 && this.counts[last]! < this.bucket) {
      this.sums[last]! += loss;
      this.counts[last]!++;
      this.ends[last] = this.steps;
    } else {
      this.sums.push(loss);
      this.counts.push(1);
      this.ends.push(this.steps);
    }
    if (this.sums.length > this.maxPoints) this.merge();
  }

  private merge(): void {
    const sums: number[] = [];
    const counts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < this.sums.length; i += 2) {
      const j = Math.min(i + 1, this.sums.length - 1);
      sums.push(this.sums[i]! + (j > i ? this.sums[j]! : 0));
      counts.push(this.counts[i]! + (j > i ? this.counts[j]! : 0));
      ends.push(this.ends[j]!);
    }
    this.sums = sums;
    this.counts = counts;
    this.ends = ends;
    this.bucket *= 2;
  }

  /** Steps recorded. */
  get length(): number {
    return this.steps;
  }

  /** The curve, one point a bucket. */
  points(): LossPoint[] {
    return this.sums.map((s, i) => ({ step: this.ends[i]!, loss: s / this.counts[i]! }));
  }
}
