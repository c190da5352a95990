import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import {
  argmax,
  BatchNorm2d,
  Conv2d,
  CrossEntropyLoss,
  Flatten,
  foldBatchNorm,
  Identity,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  softmax,
} from "../src/index";
import { maxRelError } from "./_reference";

describe("Linear: y = x W^T + b, known answers", () => {
  const fc = new Linear(3, 2);
  fc.weight.data.set([1, 2, 3, 4, 5, 6]); // [[1, 2, 3], [4, 5, 6]]
  fc.bias!.data.set([0.5, -1]);
  it("forward by hand", () => {
    const y = fc.forward(new Float32Array([1, 0, -1, 2, 1, 0]), [2, 3]);
    // row 0: [1 - 3 + 0.5, 4 - 6 - 1]; row 1: [2 + 2 + 0.5, 8 + 5 - 1]
    expect(Array.from(y.data)).toEqual([-1.5, -3, 4.5, 12]);
    expect(y.shape).toEqual([2, 2]);
  });
  it("backward by hand: dx = g W, dW = g^T x, db = column sums of g", () => {
    fc.zeroGrad();
    fc.forward(new Float32Array([1, 0, -1, 2, 1, 0]), [2, 3]);
    const dx = fc.backward(new Float32Array([1, 0, 0, 1]));
    expect(Array.from(dx)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(fc.weight.grad)).toEqual([1, 0, -1, 2, 1, 0]);
    expect(Array.from(fc.bias!.grad)).toEqual([1, 1]);
    fc.forward(new Float32Array([1, 0, -1, 2, 1, 0]), [2, 3]);
    expect(fc.backward(new Float32Array(4), false).length).toBe(0);
  });
  it("clear errors for wrong input and misuse", () => {
    expect(() => fc.forward(new Float32Array(4), [2, 2])).toThrow(
      "Linear.forward: input shape [2, 2] must end in inFeatures = 3",
    );
    expect(() => fc.forward(new Float32Array(5), [2, 3])).toThrow(
      "Linear.forward: x has 5 elements but shape [2, 3] needs 6",
    );
    expect(() => new Linear(3, 2).backward(new Float32Array(2))).toThrow(
      "Linear.backward called before forward",
    );
    fc.forward(new Float32Array(6), [2, 3]);
    expect(() => fc.backward(new Float32Array(3))).toThrow(
      "Linear.backward: gradOut has 3 elements but the last output had 4",
    );
    expect(() => new Linear(0, 2)).toThrow("inFeatures must be a positive integer, got 0");
  });
});

describe("Conv2d, known answers", () => {
  const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]); // a 3x3 image
  it("a 2x2 kernel [[1, 2], [3, 4]] over 1..9 by hand", () => {
    const conv = new Conv2d(1, 1, 2, { bias: false });
    conv.weight.data.set([1, 2, 3, 4]);
    const y = conv.forward(x, [1, 1, 3, 3]);
    // 1+4+12+20, 2+6+15+24, 4+10+21+32, 5+12+24+36
    expect(Array.from(y.data)).toEqual([37, 47, 67, 77]);
  });
  it("padding 1, stride 2: the corner windows see mostly padding", () => {
    const conv = new Conv2d(1, 1, 2, { padding: 1, stride: 2 });
    conv.weight.data.set([1, 2, 3, 4]);
    conv.bias!.data.set([10]);
    // (-1,-1): 1*4; (-1,1): 2*3 + 3*4; (1,-1): 4*2 + 7*4; (1,1): 5+12+24+36; plus bias 10
    expect(Array.from(conv.forward(x, [1, 1, 3, 3]).data)).toEqual([14, 28, 46, 87]);
  });
  it("groups: each group of output channels sees only its input channels", () => {
    const conv = new Conv2d(2, 2, 1, { groups: 2, bias: false });
    conv.weight.data.set([2, 3]);
    expect(Array.from(conv.forward(new Float32Array([1, 2, 10, 20]), [1, 2, 1, 2]).data)).toEqual([
      2, 4, 30, 60,
    ]);
  });
  it("output sizes equal PyTorch's for stride, padding and dilation", () => {
    const size = (k: number, s: number, p: number, d: number, h: number) =>
      new Conv2d(1, 1, k, { stride: s, padding: p, dilation: d }).forward(new Float32Array(h * h), [
        1,
        1,
        h,
        h,
      ]).shape[3];
    // torch.nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, h, h)).shape[-1]
    expect(size(5, 2, 2, 1, 28)).toBe(14);
    expect(size(3, 1, 0, 2, 28)).toBe(24);
    expect(size(3, 3, 1, 1, 7)).toBe(3);
    const same = new Conv2d(1, 1, [2, 4], { padding: "same" });
    expect(same.forward(new Float32Array(35), [1, 1, 5, 7]).shape).toEqual([1, 1, 5, 7]);
    expect([
      same.geometry.padTop,
      same.geometry.padBottom,
      same.geometry.padLeft,
      same.geometry.padRight,
    ]).toEqual([0, 1, 1, 2]);
  });
  it("clear errors", () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(
      /groups must be a positive integer dividing inChannels \(3\)/,
    );
    expect(() => new Conv2d(1, 1, 3, { padding: "same", stride: 2 })).toThrow(
      "padding 'same' needs stride 1, as in PyTorch",
    );
    expect(() => new Conv2d(2, 1, 3).forward(new Float32Array(9), [1, 1, 3, 3])).toThrow(
      "conv2d: input must be NCHW [N, 2, H, W], got [1, 1, 3, 3]",
    );
    expect(() => new Conv2d(1, 1, 5).forward(new Float32Array(9), [1, 1, 3, 3])).toThrow(
      /smaller than the \(dilated\) kernel/,
    );
  });
});

describe("MaxPool2d, known answers", () => {
  const x = new Float32Array([1, 2, 5, 3, 4, 0, 7, 8, 9, 1, 2, 3, 6, 5, 4, 8]);
  it("2x2 windows of a 4x4 image; the gradient goes to each maximum", () => {
    const pool = new MaxPool2d(2);
    expect(Array.from(pool.forward(x, [1, 1, 4, 4]).data)).toEqual([4, 8, 9, 8]);
    const g = pool.backward(new Float32Array([1, 2, 3, 4]));
    expect(Array.from(g)).toEqual([0, 0, 0, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0, 0, 4]);
  });
  it("ties go to the first maximum in row-major order, as PyTorch's CPU kernel; NaN wins", () => {
    const pool = new MaxPool2d(2);
    pool.forward(new Float32Array([7, 7, 7, 7]), [1, 1, 2, 2]);
    expect(Array.from(pool.backward(new Float32Array([1])))).toEqual([1, 0, 0, 0]);
    expect(pool.forward(new Float32Array([1, Number.NaN, 3, 2]), [1, 1, 2, 2]).data[0]).toBeNaN();
  });
  it("output sizes equal PyTorch's, ceil mode included", () => {
    // torch.nn.MaxPool2d(k, s, p, d, ceil_mode=c)(torch.zeros(1, 1, h, h)).shape[-1]
    const cases: Array<[number, number, number, number, number, boolean, number]> = [
      [6, 3, 2, 0, 1, true, 3],
      [6, 3, 2, 0, 1, false, 2],
      [5, 2, 2, 0, 1, true, 3],
      [4, 3, 2, 1, 1, true, 3],
      [7, 2, 3, 1, 1, true, 3],
      [28, 2, 2, 0, 1, false, 14],
      [10, 3, 3, 1, 2, true, 4],
    ];
    for (const [h, k, s, p, d, ceilMode, expected] of cases) {
      const pool = new MaxPool2d(k, { stride: s, padding: p, dilation: d, ceilMode });
      expect(
        pool.forward(new Float32Array(h * h), [1, 1, h, h]).shape[3],
        `h ${h} k ${k} s ${s} p ${p} d ${d} ceil ${ceilMode}`,
      ).toBe(expected);
    }
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(
      "padding must be at most half the kernel size, got padding 2 for kernel 2",
    );
  });
});

describe("BatchNorm2d equals torch.nn.BatchNorm2d", () => {
  // x: channel 0 = [1, 2, 3, 4], channel 1 = [-1, 0, 0.5, 8]
  const x = new Float32Array([1, 2, 3, 4, -1, 0, 0.5, 8]);
  const shape = [1, 2, 2, 2];
  it("training: batch statistics, momentum 0.1 running stats with the unbiased variance", () => {
    const bn = new BatchNorm2d(2);
    const y = bn.forward(x, shape);
    const torchY = [
      -1.3416353464126587, -0.44721174240112305, 0.4472118616104126, 1.3416354656219482, -0.8036847114562988,
      -0.5241422057151794, -0.38437095284461975, 1.7121977806091309,
    ];
    expect(maxRelError(y.data, torchY)).toBeLessThan(1e-6);
    expect(maxRelError(bn.runningMean!, [0.25, 0.1875])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(maxRelError(bn.runningVar!, [1.066666603088379, 2.606250047683716])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(bn.numBatchesTracked[0]).toBe(1n);
    bn.forward(
      x.map((v) => 2 * v),
      shape,
    );
    expect(maxRelError(bn.runningMean!, [0.7250000238418579, 0.543749988079071])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(maxRelError(bn.runningVar!, [1.62666654586792, 9.170624732971191])).toBeLessThan(2.5e-7); // two float32 ulps
  });
  it("momentum null: a cumulative average over batches", () => {
    const bn = new BatchNorm2d(2, { momentum: null });
    bn.forward(x, shape);
    bn.forward(
      x.map((v) => 2 * v),
      shape,
    );
    expect(maxRelError(bn.runningMean!, [3.75, 2.8125])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(maxRelError(bn.runningVar!, [4.166666507720947, 42.65625])).toBeLessThan(2.5e-7); // two float32 ulps
  });
  it("eval: running statistics, no update", () => {
    const bn = new BatchNorm2d(2).eval();
    bn.runningMean!.set([1, 0]);
    bn.runningVar!.set([4, 1]);
    const y = bn.forward(x, shape);
    expect(y.data[0]).toBeCloseTo(0, 6);
    expect(y.data[3]).toBeCloseTo(3 / Math.sqrt(4 + 1e-5), 6);
    expect(Array.from(bn.runningMean!)).toEqual([1, 0]);
    expect(bn.numBatchesTracked[0]).toBe(0n);
  });
  it("one value per channel in training is an error, as in PyTorch", () => {
    expect(() => new BatchNorm2d(2).forward(new Float32Array(2), [1, 2, 1, 1])).toThrow(
      /expected more than 1 value per channel when training/,
    );
  });
});

describe("foldBatchNorm", () => {
  it("the folded convolution equals conv then eval-mode BN", () => {
    const rng = new Rng(3);
    const conv = new Conv2d(2, 3, 3, { padding: 1, stride: 2, rng });
    const bn = new BatchNorm2d(3);
    bn.runningMean!.set([0.3, -0.2, 1.5]);
    bn.runningVar!.set([0.5, 2, 0.1]);
    bn.weight!.data.set([1.2, -0.8, 0.5]);
    bn.bias!.data.set([0.1, 0.2, -0.3]);
    const model = new Sequential([
      ["conv", conv],
      ["bn", bn],
    ]).eval();
    const x = rng.fillNormal(new Float32Array(2 * 2 * 5 * 5));
    const expected = model.forward(x, [2, 2, 5, 5]).data;
    const fused = foldBatchNorm(conv, bn);
    model.set("conv", fused).set("bn", new Identity());
    expect(maxRelError(model.forward(x, [2, 2, 5, 5]).data, expected)).toBeLessThan(1e-5);
    expect(fused).not.toBe(conv);
    expect(() => foldBatchNorm(conv, new BatchNorm2d(4))).toThrow(
      "foldBatchNorm: bn has 4 features but conv has 3 output channels",
    );
  });
});

describe("ReLU, Flatten, Identity, softmax, argmax", () => {
  it("ReLU zeroes negatives (and 0's gradient), keeps NaN", () => {
    const relu = new ReLU();
    expect(Array.from(relu.forward(new Float32Array([-1, 0, 2, Number.NaN]), [4]).data)).toEqual([
      0,
      0,
      2,
      Number.NaN,
    ]);
    expect(Array.from(relu.backward(new Float32Array([5, 5, 5, 5])))).toEqual([0, 0, 5, 0]);
  });
  it("Flatten merges startDim..endDim without copying", () => {
    const x = new Float32Array(120);
    expect(new Flatten().forward(x, [2, 3, 4, 5]).shape).toEqual([2, 60]);
    expect(new Flatten(0, -1).forward(x, [2, 3, 4, 5]).shape).toEqual([120]);
    expect(new Flatten(1, 2).forward(x, [2, 3, 4, 5]).shape).toEqual([2, 12, 5]);
    expect(new Flatten().forward(x, [2, 3, 4, 5]).data).toBe(x);
    expect(new Identity().forward(x, [120]).data).toBe(x);
  });
  it("softmax and argmax", () => {
    const p = softmax(new Float32Array([0, Math.log(3), 1000, 1000]), [2, 2]);
    expect(Array.from(p)).toEqual([0.25, 0.75, 0.5, 0.5].map(Math.fround));
    expect(Array.from(argmax(new Float32Array([0.1, 0.7, 0.2, 3, 1, 3]), [2, 3]))).toEqual([1, 0]);
  });
});

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
