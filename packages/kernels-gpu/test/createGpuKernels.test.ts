import { createCpuKernels, type Kernels } from "@quantkit/kernels";
import { afterAll, describe, expect, it } from "vitest";
import { _Device, type _Plan, type _Step } from "../src/_device";
import { _gpujs } from "../src/_gpujs";
import { _linearSequencePlan, _uploadLinearPlan } from "../src/_linearPlan";
import { createGpuKernels, type GpuKernels } from "../src/index";
import { makeLinear } from "./_casesLinear";
import { refQuantizedLinear } from "./_reference";
import { TestRng } from "./_testRng";

const opened: GpuKernels[] = [];
function open(options: Parameters<typeof createGpuKernels>[0]): GpuKernels {
  const k = createGpuKernels(options);
  opened.push(k);
  return k;
}
afterAll(async () => {
  for (const k of opened) await k.destroy();
});

describe("backend selection (Node under xvfb-run)", () => {
  it("picks the best synchronous backend by default and says so", () => {
    const k = open({});
    expect(k.requestedBackend).toBe("gpu");
    expect(k.backend).toBe("headlessgl");
  });

  it("throws for a backend that is not available, naming it and what is", () => {
    expect(() => createGpuKernels({ backend: "webgl2" })).toThrow(
      /backend "webgl2" is not available here \(available: headlessgl, webasm, cpu\)/,
    );
    expect(() => createGpuKernels({ backend: "webgpu" })).toThrow(/"webgpu" is not available/);
  });

  it("with allowFallback, runs on the best available backend and reports that one", () => {
    const k = open({ backend: "webgl2", allowFallback: true });
    expect(k.requestedBackend).toBe("webgl2");
    expect(k.backend).toBe("headlessgl");
    expect(
      Array.from(k.matmulInteger(new Uint8Array([2]), new Int8Array([-3]), { m: 1, k: 1, n: 1 })),
    ).toEqual([-6]);
  });

  it("rejects an unknown backend name with a TypeError", () => {
    expect(() => createGpuKernels({ backend: "metal" as never })).toThrow(TypeError);
  });
});

describe("a kernel that gpu.js ran on another backend is caught", () => {
  // Stands in for gpu.js degrading a kernel at run time (it does so for unsupported arguments).
  function cpuKernelStep(): _Step {
    const gpu = new _gpujs.GPU({ mode: "cpu" });
    const kernel = gpu.createKernel("function (v) { return v[this.thread.x]; }", {
      output: [1],
      pipeline: false,
      immutable: false,
      precision: "single",
      tactic: "precision",
      loopMaxIterations: 2,
    });
    return { stage: "compute", kernel, args: [new Float32Array([5])] };
  }

  it("throws unless allowFallback", async () => {
    const dev = new _Device("webasm", false);
    expect(() => dev.call(cpuKernelStep())).toThrow(/gpu.js ran a kernel on cpu instead of webasm/);
    await dev.destroy();
  });

  it("with allowFallback, reports the backend that ran", async () => {
    const dev = new _Device("webasm", true);
    dev.call(cpuKernelStep());
    expect(dev.backend).toBe("cpu");
    await dev.destroy();
  });
});

describe("a quantized MLP stays on the device between layers", () => {
  const rng = new TestRng(3);
  const batch = 4;
  const layers = [
    makeLinear(rng, 30, 20, { inputZeroPoint: 0, perChannel: true, relu: true }),
    makeLinear(rng, 20, 16, { inputZeroPoint: 0, perChannel: false, relu: true }),
    makeLinear(rng, 16, 5, { inputZeroPoint: 0, perChannel: true, relu: false }),
  ];
  layers[1]!.inputZeroPoint = layers[0]!.outputZeroPoint;
  layers[2]!.inputZeroPoint = layers[1]!.outputZeroPoint;
  const x = new Uint8Array(batch * 30).map(() => rng.int(0, 255));
  const expected = layers.reduce<Uint8Array>((y, l) => refQuantizedLinear(y, l, batch), x);

  /** Runs a plan counting its steps by stage. */
  function countSteps<T>(
    dev: _Device,
    plan: _Plan<T>,
  ): { result: T; upload: number; compute: number; readback: number } {
    const n = { upload: 0, compute: 0, readback: 0 };
    let r = plan.next();
    while (!r.done) {
      n[r.value.stage]++;
      r = plan.next(dev.call(r.value));
    }
    return { result: r.value, ...n };
  }

  it("one upload of x, one readback, two kernels per layer (prepared layers)", async () => {
    const dev = new _Device("headlessgl", false);
    try {
      const prepared = layers.map((l) => countSteps(dev, _uploadLinearPlan(dev, l, "layer")).result);
      const isDev = (l: object): l is (typeof prepared)[number] =>
        prepared.includes(l as (typeof prepared)[number]);
      const run = countSteps(dev, _linearSequencePlan(dev, x, prepared, batch, undefined, isDev));
      expect({ upload: run.upload, compute: run.compute, readback: run.readback }).toEqual({
        upload: 1,
        compute: 6,
        readback: 1,
      });
      expect(Array.from(run.result)).toEqual(Array.from(expected));
    } finally {
      await dev.destroy();
    }
  });

  it("prepareLinear gives a layer that runs like the plain one, and after release() still does", () => {
    const k = open({ backend: "headlessgl" });
    const prepared = layers.map((l) => k.prepareLinear(l));
    expect(prepared[0]!.backend).toBe("headlessgl");
    expect(prepared[0]!.weight).toBe(layers[0]!.weight);
    expect(Array.from(k.quantizedLinearSequence(x, prepared, batch))).toEqual(Array.from(expected));
    expect(Array.from(k.quantizedLinear(x, prepared[0]!, batch))).toEqual(
      Array.from(refQuantizedLinear(x, layers[0]!, batch)),
    );
    for (const p of prepared) p.release();
    expect(Array.from(k.quantizedLinearSequence(x, prepared, batch))).toEqual(Array.from(expected));
  });

  it("refuses a prepared layer edited in place, whose device copy is stale (issue 15, item 2)", () => {
    const k = open({ backend: "cpu" });
    const layer = { ...layers[0]!, weight: layers[0]!.weight.slice() };
    const prepared = k.prepareLinear(layer);
    expect(Array.from(k.quantizedLinear(x, prepared, batch))).toEqual(
      Array.from(refQuantizedLinear(x, layer, batch)),
    );
    prepared.weight[0] = prepared.weight[0]! === 5 ? 6 : 5;
    expect(() => k.quantizedLinear(x, prepared, batch)).toThrow(
      /the prepared layer's weight, bias, multiplier or shift changed in place after prepareLinear/,
    );
    prepared.release();
  });

  it("rejects layers that do not chain", () => {
    const k = open({ backend: "cpu" });
    expect(() => k.quantizedLinearSequence(x, [layers[0]!, layers[2]!], batch)).toThrow(
      /layers\[1\]\.inFeatures \(16\) must equal layers\[0\]\.outFeatures \(20\)/,
    );
  });
});

describe("arguments", () => {
  const k = open({ backend: "cpu" });
  const a = new Uint8Array(6);
  const b = new Int8Array(6);

  it("writes into out and returns it", () => {
    const out = new Int32Array(4);
    expect(
      k.matmulInteger(new Uint8Array([1, 2, 3, 4]), new Int8Array([1, 0, 0, 1]), { m: 2, k: 2, n: 2, out }),
    ).toBe(out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
  });

  it("zero sizes give empty or zero results without touching the device", () => {
    expect(k.matmulInteger(new Uint8Array(0), new Int8Array(0), { m: 0, k: 0, n: 3 })).toEqual(
      new Int32Array(0),
    );
    expect(Array.from(k.matmulInteger(new Uint8Array(0), new Int8Array(0), { m: 2, k: 0, n: 1 }))).toEqual([
      0, 0,
    ]);
    expect(
      Array.from(
        k.matmulF32(new Float32Array(0), new Float32Array(0), {
          m: 2,
          k: 0,
          n: 1,
          bias: new Float32Array([1.5]),
        }),
      ),
    ).toEqual([1.5, 1.5]);
    const L = makeLinear(new TestRng(1), 3, 2, { inputZeroPoint: 0, perChannel: false, relu: false });
    expect(k.quantizedLinear(new Uint8Array(0), L, 0)).toEqual(new Uint8Array(0));
  });

  /** The error a call throws (the test fails if it does not throw). */
  function errorOf(call: () => unknown): Error {
    try {
      call();
    } catch (e) {
      return e as Error;
    }
    throw new Error("expected the call to throw");
  }
  const cpu = createCpuKernels();
  /** The GPU kernels throw what the CPU kernels throw: same class, same message (the contract's checks). */
  function sameErrorAsCpu(call: (kernels: Kernels) => unknown, message: RegExp): void {
    const expected = errorOf(() => call(cpu));
    expect(expected.message).toMatch(message);
    const got = errorOf(() => call(k));
    expect(got.constructor).toBe(expected.constructor);
    expect(got.message).toBe(expected.message);
  }

  it("names the argument and the bad value, as @quantkit/kernels does", () => {
    sameErrorAsCpu((x) => x.matmulInteger(a, b, { m: 2, k: 3, n: 3 }), /^b must have length .* = 9, got 6$/);
    sameErrorAsCpu(
      (x) => x.matmulInteger(a, b, { m: 2, k: 3, n: 2, aZeroPoint: 256 }),
      /^aZeroPoint must be an integer in \[0, 255\] \(uint8\), got 256$/,
    );
    sameErrorAsCpu(
      (x) => x.matmulInteger(a, b, { m: 2, k: 3, n: 2, bZeroPoint: new Int32Array([0, 128]) }),
      /^bZeroPoint\[1\] must be an integer in \[-128, 127\] \(int8\), got 128$/,
    );
    sameErrorAsCpu(
      (x) => x.matmulInteger(a, b, { m: 2, k: 3, n: 2, transB: 1 as never }),
      /^transB must be a boolean, got number$/,
    );
    sameErrorAsCpu(
      (x) => x.matmulInteger([1] as never, b, { m: 1, k: 1, n: 6 }),
      /^a must be an Int8Array or a Uint8Array, got Array$/,
    );
    sameErrorAsCpu(
      (x) => x.matmulInteger(a, b, { m: -1, k: 3, n: 2 }),
      /^m must be a non-negative integer, got -1$/,
    );
    sameErrorAsCpu(
      (x) => x.matmulInteger(a, b, { m: "2" as never, k: 3, n: 2 }),
      /^m must be a number, got string$/,
    );
    sameErrorAsCpu(
      (x) =>
        x.matmulF32(new Float32Array(4), new Float32Array(2), {
          m: 2,
          k: 2,
          n: 1,
          bias: new Float32Array(2),
        }),
      /^bias must have length n = 1, got 2$/,
    );
    const L = makeLinear(new TestRng(1), 3, 2, { inputZeroPoint: 0, perChannel: false, relu: false });
    sameErrorAsCpu(
      (x) => x.quantizedLinear(new Uint8Array(3), { ...L, bias: new Int32Array(1) }, 1),
      /^layer\.bias must have length/,
    );
    sameErrorAsCpu(
      (x) => x.quantizedLinear(new Uint8Array(4), L, 1),
      /^x must have length batch \* inFeatures/,
    );
  });

  it("refuses k past 2^18 (the exact limb arithmetic's bound) with a RangeError", () => {
    expect(() =>
      k.matmulInteger(new Uint8Array(262145), new Int8Array(262145), { m: 1, k: 262145, n: 1 }),
    ).toThrow(
      new RangeError("k must be at most 262144 on the GPU kernels (exact float32 limb sums), got 262145"),
    );
  });

  it("checks the requantization parameters as @quantkit/kernels does", () => {
    const acc = new Int32Array(4);
    const p = {
      multiplier: new Int32Array([1 << 30]),
      shift: new Int32Array([31]),
      outputZeroPoint: 0,
      outputMin: 0,
      outputMax: 255,
      channels: 2,
    };
    sameErrorAsCpu(
      (x) => x.requantize(acc, p),
      /^params\.shift\[0\] must be an integer in \[-31, 30\], got 31$/,
    );
    sameErrorAsCpu(
      (x) => x.requantize(acc, { ...p, shift: new Int32Array([0]), channels: 3 }),
      /acc length 4 is not a multiple of params\.channels \(3\)/,
    );
    sameErrorAsCpu(
      (x) => x.requantize(acc, { ...p, shift: new Int32Array([0]), multiplier: new Int32Array([-1]) }),
      /^params\.multiplier\[0\] must be non-negative/,
    );
    sameErrorAsCpu(
      (x) => x.requantize(acc, { ...p, shift: new Int32Array([0]), outputMin: -1 }, new Uint8Array(4)),
      /must lie inside the output dtype \[0, 255\]/,
    );
    expect(
      k.requantize(acc, { ...p, shift: new Int32Array([0]), outputMin: -128, outputMax: 127 }),
    ).toBeInstanceOf(Int8Array);
  });

  it("reports a convolution whose output would be empty", () => {
    const L = {
      inChannels: 1,
      outChannels: 1,
      kernelH: 5,
      kernelW: 5,
      strideH: 1,
      strideW: 1,
      padH: 0,
      padW: 0,
      dilationH: 1,
      dilationW: 1,
      groups: 1,
      weight: new Int8Array(25),
      inputZeroPoint: 0,
      outputZeroPoint: 0,
      bias: new Int32Array(1),
      multiplier: new Int32Array([1 << 30]),
      shift: new Int32Array([0]),
      outputMin: 0,
      outputMax: 255,
    };
    expect(() => k.quantizedConv2d(new Uint8Array(9), L, { batch: 1, height: 3, width: 3 })).toThrow(
      RangeError,
    );
  });

  it("is unusable after destroy()", async () => {
    const d = createGpuKernels({ backend: "cpu" });
    await d.destroy();
    expect(() => d.matmulInteger(a, b, { m: 2, k: 3, n: 2 })).toThrow(/destroyed/);
  });
});
