import { describe, expect, it } from "vitest";
import { LossCurve } from "./lossCurve";

describe("LossCurve", () => {
  it("keeps every step while there is room", () => {
    const c = new LossCurve(10);
    [3, 2, 1].forEach((l) => {
      c.add(l);
    });
    expect(c.points()).toEqual([
      { step: 1, loss: 3 },
      { step: 2, loss: 2 },
      { step: 3, loss: 1 },
    ]);
  });
  it("merges neighbouring buckets past maxPoints, keeping bucket means", () => {
    const c = new LossCurve(4);
    for (let s = 1; s <= 5; s++) c.add(s);
    // 5 points > 4: pairs merge -> (1,2) (3,4) (5); later steps fill buckets of 2
    expect(c.points()).toEqual([
      { step: 2, loss: 1.5 },
      { step: 4, loss: 3.5 },
      { step: 5, loss: 5 },
    ]);
    c.add(7);
    expect(c.points().at(-1)).toEqual({ step: 6, loss: 6 });
    expect(c.length).toBe(6);
  });
  it("stays within maxPoints over a long run, and its mean is the run's mean", () => {
    const c = new LossCurve(50);
    let sum = 0;
    for (let s = 0; s < 10_000; s++) {
      const l = Math.sin(s) + 2;
      sum += l;
      c.add(l);
    }
    const pts = c.points();
    expect(pts.length).toBeLessThanOrEqual(50);
    expect(pts.at(-1)!.step).toBe(10_000);
    // buckets before the last are full: the weighted mean is the overall mean
    const bucket = pts[0]!.step;
    let weighted = 0;
    let prev = 0;
    for (const p of pts) {
      weighted += p.loss * (p.step - prev);
      prev = p.step;
    }
    expect(weighted / 10_000).toBeCloseTo(sum / 10_000, 9);
    expect(bucket).toBe(256);
  });
});
