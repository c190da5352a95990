import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { CrossEntropyLoss } from "../src/index";
import { crossEntropyRef, f64, maxRelError, numericGrad, randn } from "./_reference";

describe("CrossEntropyLoss equals torch.nn.functional.cross_entropy", () => {
  const z = new Float32Array([2, -1, 0.5, 0, 0, 0]);
  it("mean over the batch, with and without label smoothing", () => {
    expect(new CrossEntropyLoss().forward(z, [2, 3], [0, 2])).toBeCloseTo(0.6699618101119995, 6);
    expect(new CrossEntropyLoss({ labelSmoothing: 0.2 }).forward(z, [2, 3], [0, 2])).toBeCloseTo(
      0.8199618458747864,
      6,
    );
    const sum = new CrossEntropyLoss({ reduction: "sum" });
    expect(sum.forward(z, [2, 3], [0, 2])).toBeCloseTo(2 * 0.6699618101119995, 6);
  });
  it("by hand: two equal logits cost ln 2 and the gradient is (softmax - onehot) / N", () => {
    const lossFn = new CrossEntropyLoss();
    expect(lossFn.forward(new Float32Array([0, 0]), [1, 2], [1])).toBeCloseTo(Math.LN2, 12);
    expect(Array.from(lossFn.backward())).toEqual([0.5, -0.5]);
  });
  it("is stable for huge logits (log-sum-exp)", () => {
    const lossFn = new CrossEntropyLoss();
    expect(lossFn.forward(new Float32Array([1000, 0]), [1, 2], [0])).toBeCloseTo(0, 12);
    expect(lossFn.forward(new Float32Array([0, 1000]), [1, 2], [0])).toBeCloseTo(1000, 9);
    expect(Array.from(lossFn.backward())).toEqual([-1, 1]);
  });
  it("rejects targets out of range", () => {
    expect(() => new CrossEntropyLoss().forward(z, [2, 3], [0, 3])).toThrow(
      "target[1] is 3, outside the classes 0..2",
    );
    expect(() => new CrossEntropyLoss().forward(z, [2, 3], [0])).toThrow(
      "CrossEntropyLoss: target has 1 entries for a batch of 2",
    );
  });
});

describe("CrossEntropyLoss gradient", () => {
  it.each([0, 0.1])(
    "label smoothing %s: loss equals the float64 reference, dlogits equal central differences",
    (smoothing) => {
      const rng = new Rng(21);
      const n = 4;
      const c = 5;
      const z = randn(n * c, rng, 3);
      const target = [0, 4, 2, 2];
      const lossFn = new CrossEntropyLoss({ labelSmoothing: smoothing });
      const loss = lossFn.forward(z, [n, c], target);
      expect(loss).toBeCloseTo(crossEntropyRef(f64(z), n, c, target, smoothing), 10);
      const numeric = numericGrad((v) => crossEntropyRef(v, n, c, target, smoothing), f64(z));
      expect(maxRelError(lossFn.backward(), numeric)).toBeLessThan(1e-6);
    },
  );
});
