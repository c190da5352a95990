import { describe, expect, it } from "vitest";
import { argmax, BatchNorm2d, createMlp, evaluate, Flatten, Linear, predict, Sequential } from "../src/index";

describe("argmax", () => {
  it("argmax(scores, [N, C]) gives the first largest index of each row, for floats and uint8 codes", () => {
    expect(Array.from(argmax(new Float32Array([0.1, 0.7, 0.2, 3, 1, 3]), [2, 3]))).toEqual([1, 0]);
    expect(Array.from(argmax(new Uint8Array([3, 9, 9, 0, 0, 255]), [2, 3]))).toEqual([1, 2]);
    expect(Array.from(argmax(new Int8Array([-128, -5, -6]), [1, 3]))).toEqual([1]);
  });

  it("refuses NaN and a shape that does not fit", () => {
    expect(() => argmax(new Float32Array([1, Number.NaN]), [1, 2])).toThrow(/scores\[1\] \(row 0\) is NaN/);
    expect(() => argmax(new Uint8Array(5), [2, 3])).toThrow(/does not fit 5 values/);
  });
});

describe("evaluate, accuracy, predict", () => {
  it("known answers with hand-set weights: the identity classifier picks the larger input", () => {
    const model = new Sequential([["fc", new Linear(2, 2, { bias: false })]]);
    (model.get("fc") as Linear).weight.data.set([1, 0, 0, 1]);
    const x = new Float32Array([3, 1, 0, 2, 5, 4, 1, 1.5]);
    expect(Array.from(predict(model, x, [4, 2]))).toEqual([0, 1, 0, 1]);
    const e = evaluate(model, [{ x, y: [0, 0, 0, 1], size: 4 }]);
    expect([e.correct, e.count, e.accuracy]).toEqual([3, 4, 0.75]);
    // mean of -log softmax: ln(1 + e^-2), ln(1 + e^2), ln(1 + e^-1), ln(1 + e^-0.5)
    const expected =
      (Math.log1p(Math.exp(-2)) +
        Math.log1p(Math.exp(2)) +
        Math.log1p(Math.exp(-1)) +
        Math.log1p(Math.exp(-0.5))) /
      4;
    expect(e.loss).toBeCloseTo(expected, 6);
    expect(() => evaluate(model, [])).toThrow("evaluate: the batches hold no samples");
  });
  it("runs in eval mode (BatchNorm's running statistics) and restores each module's mode", () => {
    const model = new Sequential([
      ["bn", new BatchNorm2d(1)],
      ["flatten", new Flatten()],
    ]);
    const bn = model.get("bn") as BatchNorm2d;
    bn.runningMean![0] = 10;
    model.train();
    const out = predict(model, new Float32Array([1, 2]), [1, 1, 1, 2]);
    expect(Array.from(out)).toEqual([1]);
    expect(bn.numBatchesTracked[0]).toBe(0n); // eval mode: no statistics update
    expect(bn.training).toBe(true);
  });
});

describe("non-finite numbers are errors where they enter (item 5)", () => {
  const model = createMlp([4, 3, 2], { seed: 0 });
  it("predict rejects NaN input instead of answering class 0", () => {
    expect(() => predict(model, new Float32Array([0, Number.NaN, 0, 0]), [1, 4])).toThrow(
      "predict: x[1] is NaN; inputs must be finite",
    );
    expect(Array.from(predict(model, new Float32Array(4), [1, 4]))).toHaveLength(1);
  });
});
