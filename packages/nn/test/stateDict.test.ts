import { describe, expect, it } from "vitest";
import {
  BatchNorm2d,
  Conv2d,
  createMlp,
  Linear,
  loadStateDict,
  parseSafetensors,
  predict,
  type SafetensorsTensor,
  Sequential,
  serializeSafetensors,
  stateDict,
} from "../src/index";

describe("stateDict / loadStateDict", () => {
  it("stateDict(model) gives the model's own arrays under PyTorch's names", () => {
    const model = new Linear(2, 1, { seed: 0 });
    const dict = stateDict(model);
    expect(Object.keys(dict).sort()).toEqual(["bias", "weight"]);
    expect(dict.weight!.shape).toEqual([1, 2]);
    expect(dict.weight!.data).toBe(model.weight.data);
  });

  it("loadStateDict(model, tensors) decodes F16 and BF16 bits exactly (known patterns)", () => {
    const model = new Linear(3, 1, { seed: 0 });
    // float16: 0x3c00 = 1, 0xc000 = -2, 0x0001 = 2^-24 (smallest subnormal);
    // bfloat16: 0x3f80 = 1, 0xbfc0 = -1.5.
    loadStateDict(model, {
      weight: { dtype: "F16", shape: [1, 3], data: new Uint16Array([0x3c00, 0xc000, 0x0001]) },
      bias: { dtype: "BF16", shape: [1], data: new Uint16Array([0xbfc0]) },
    });
    expect([...model.weight.data]).toEqual([1, -2, 2 ** -24]);
    expect([...model.bias!.data]).toEqual([-1.5]);
  });
  it("round-trips the seed MLP through safetensors bytes: the same predictions, about 360 KB", () => {
    const a = createMlp([784, 100, 100, 10], { seed: 0 });
    const b = createMlp([784, 100, 100, 10], { seed: 1 });
    const bytes = serializeSafetensors(stateDict(a), { format: "pt" });
    // 89,610 float32 values plus a small header
    expect(bytes.length).toBeGreaterThan(89_610 * 4);
    expect(bytes.length).toBeLessThan(89_610 * 4 + 1024);
    expect(loadStateDict(b, parseSafetensors(bytes).tensors)).toEqual({
      missingKeys: [],
      unexpectedKeys: [],
    });
    const x = new Float32Array(5 * 784).map((_, i) => Math.sin(i));
    expect(predict(b, x, [5, 784])).toEqual(predict(a, x, [5, 784]));
    expect(Array.from((b.get("fc3") as Linear).bias!.data)).toEqual(
      Array.from((a.get("fc3") as Linear).bias!.data),
    );
  });
  it("includes BatchNorm's buffers with PyTorch's names, num_batches_tracked as I64", () => {
    const model = new Sequential([
      ["conv", new Conv2d(1, 2, 3)],
      ["bn", new BatchNorm2d(2)],
    ]);
    model.forward(
      new Float32Array(2 * 16).map((_, i) => i),
      [2, 1, 4, 4],
    );
    const sd = stateDict(model);
    expect(Object.keys(sd)).toEqual([
      "conv.weight",
      "conv.bias",
      "bn.weight",
      "bn.bias",
      "bn.running_mean",
      "bn.running_var",
      "bn.num_batches_tracked",
    ]);
    expect(sd["bn.num_batches_tracked"]).toEqual({ dtype: "I64", shape: [], data: new BigInt64Array([1n]) });
    const copy = new Sequential([
      ["conv", new Conv2d(1, 2, 3, { seed: 4 })],
      ["bn", new BatchNorm2d(2)],
    ]);
    loadStateDict(copy, parseSafetensors(serializeSafetensors(sd)).tensors);
    const bn = copy.get("bn") as BatchNorm2d;
    expect(bn.numBatchesTracked[0]).toBe(1n);
    expect(Array.from(bn.runningMean!)).toEqual(Array.from((model.get("bn") as BatchNorm2d).runningMean!));
  });
  it("strict: missing and unexpected keys are an error naming them, PyTorch-style", () => {
    const model = createMlp([4, 3, 2]);
    const sd = stateDict(createMlp([4, 3, 2]));
    const { "fc2.bias": _dropped, ...rest } = sd;
    const extra = { ...rest, "fc9.weight": sd["fc1.weight"]! };
    expect(() => loadStateDict(model, extra)).toThrow(
      'Error(s) in loading state dict: Missing key(s): "fc2.bias". Unexpected key(s): "fc9.weight".',
    );
    expect(loadStateDict(model, extra, { strict: false })).toEqual({
      missingKeys: ["fc2.bias"],
      unexpectedKeys: ["fc9.weight"],
    });
  });
  it("a shape mismatch is an error and nothing is loaded", () => {
    const model = createMlp([4, 3, 2], { seed: 0 });
    const before = Float32Array.from((model.get("fc1") as Linear).weight.data);
    const sd = {
      ...stateDict(createMlp([4, 3, 2], { seed: 1 })),
      "fc2.weight": { dtype: "F32", shape: [3, 2], data: new Float32Array(6) } as SafetensorsTensor,
    };
    expect(() => loadStateDict(model, sd)).toThrow(
      "size mismatch for fc2.weight: copying a tensor of shape [3, 2] from the state dict, the shape in the model is [2, 3]",
    );
    expect(Array.from((model.get("fc1") as Linear).weight.data)).toEqual(Array.from(before));
    const int8 = {
      ...stateDict(model),
      "fc2.bias": { dtype: "I8", shape: [2], data: new Int8Array(2) } as SafetensorsTensor,
    };
    expect(() => loadStateDict(model, int8)).toThrow(
      'loadStateDict: "fc2.bias" is I8; a float parameter loads from F32, F64, F16 or BF16',
    );
  });
  it("converts F16 and BF16 (raw bits) to float32", () => {
    const fcl = new Sequential([["fc", new Linear(2, 1)]]);
    // F16: 0x3c00 = 1, 0xc000 = -2, 0x3555 = 0.333251953125; BF16: 0x4049 = 3.140625
    loadStateDict(fcl, {
      "fc.weight": { dtype: "F16", shape: [1, 2], data: new Uint16Array([0x3c00, 0xc000]) },
      "fc.bias": { dtype: "BF16", shape: [1], data: new Uint16Array([0x4049]) },
    });
    const lin = fcl.get("fc") as Linear;
    expect(Array.from(lin.weight.data)).toEqual([1, -2]);
    expect(lin.bias!.data[0]).toBe(3.140625);
    loadStateDict(fcl, {
      "fc.weight": { dtype: "F16", shape: [1, 2], data: new Uint16Array([0x3555, 0x0001]) },
      "fc.bias": { dtype: "F64", shape: [1], data: new Float64Array([0.1]) },
    });
    expect(lin.weight.data[0]).toBe(0.333251953125);
    expect(lin.weight.data[1]).toBe(Math.fround(2 ** -24)); // the smallest subnormal
    expect(lin.bias!.data[0]).toBe(Math.fround(0.1));
  });
});

describe("non-finite numbers are errors where they enter (item 5)", () => {
  const model = createMlp([4, 3, 2], { seed: 0 });

  it("loadStateDict rejects NaN, Infinity and F64 values beyond float32, leaving the model as it was", () => {
    const before = stateDict(model);
    const w = new Float32Array(before["fc1.weight"]!.data as Float32Array);
    const bad = {
      ...before,
      "fc1.weight": { dtype: "F32", shape: [3, 4], data: w.map((v, i) => (i === 5 ? Number.NaN : v)) },
    };
    expect(() => loadStateDict(model, bad as never)).toThrow(
      "loadStateDict: fc1.weight[5] is NaN; parameters must be finite",
    );
    const f64 = new Float64Array(12).fill(0.5);
    f64[2] = 1e300;
    expect(() =>
      loadStateDict(model, { ...before, "fc1.weight": { dtype: "F64", shape: [3, 4], data: f64 } } as never),
    ).toThrow("loadStateDict: fc1.weight[2] is 1e+300 (Infinity in float32); parameters must be finite");
    const f16 = new Uint16Array(12).fill(0x3c00);
    f16[0] = 0x7c00; // +Infinity
    expect(() =>
      loadStateDict(model, { ...before, "fc1.weight": { dtype: "F16", shape: [3, 4], data: f16 } } as never),
    ).toThrow(/fc1.weight\[0\] is F16 bits 0x7c00/);
    expect((model.parameters()[0]!.data as Float32Array)[5]).toBe(w[5]);
  });
});

describe("loadStateDict options", () => {
  it("unknown option keys are errors", () => {
    expect(() => loadStateDict(createMlp([2, 2]), {}, { strictt: false } as never)).toThrow(
      /unknown key "strictt"/,
    );
  });
});
