import { createCpuKernels, type Kernels, prepareQuantizedLinear } from "@quantkit/kernels";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGpuKernels, type GpuBackend, type GpuKernels } from "../src/index";
import { conformanceCases } from "./_cases";
import { float32SumIsInexact } from "./_casesMatmul";
import { runCase } from "./_runCase";

// headlessgl needs an X display: run under `xvfb-run -a` (the repo's `pnpm test` does). Without one,
// createGpuKernels({ backend: "headlessgl" }) throws and these tests fail, as they should: a test
// that asked for a backend never passes on another.
const BACKENDS: GpuBackend[] = ["headlessgl", "webasm", "cpu"];
const cases = conformanceCases();

// The CPU kernels are the reference the GPU ones equal bit for bit: both of their engines.
const cpuKernels: Kernels[] = [createCpuKernels(), createCpuKernels({ simd: false })];

describe("the expected values are @quantkit/kernels' results", () => {
  it.each(cases.filter((c) => c.tolerance === undefined).map((c) => [c.name, c] as const))(
    "%s",
    (_name, c) => {
      for (const cpu of cpuKernels) {
        let actual: ArrayLike<number>;
        if (c.op === "quantizedLinearSequence") {
          const [x, layers, batch] = c.args as [
            Uint8Array,
            Parameters<Kernels["quantizedLinear"]>[1][],
            number,
          ];
          actual = layers.reduce((y, l) => cpu.quantizedLinear(y, l, batch), x);
        } else {
          actual = (cpu[c.op] as (...args: unknown[]) => ArrayLike<number>).apply(cpu, c.args);
        }
        expect(Array.from(actual), `${cpu.backend}: ${c.name}`).toEqual(Array.from(c.expected));
      }
    },
  );
});

describe.each(BACKENDS)("conformance on %s", (backend) => {
  let kernels: GpuKernels;
  beforeAll(() => {
    kernels = createGpuKernels({ backend });
  });
  afterAll(async () => {
    await kernels?.destroy();
  });

  it(`createGpuKernels({ backend: "${backend}" }) runs on ${backend}`, () => {
    expect(kernels.backend).toBe(backend);
    expect(kernels.requestedBackend).toBe(backend);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const r = await runCase(kernels, c, false);
    expect(r.error).toBeUndefined();
    expect(r.backend).toBe(backend);
    expect(r.type).toBe(c.type);
    expect(r.length).toBe(c.expected.length);
    expect({ mismatches: r.mismatches, first: r.first }).toEqual({ mismatches: 0, first: [] });
  });

  it("layers from @quantkit/kernels' prepareQuantizedLinear (per-channel scales, ReLU) give the CPU's codes", () => {
    const inFeatures = 96;
    const outFeatures = 12;
    const weight = new Int8Array(inFeatures * outFeatures).map((_, i) => ((i * 53) % 255) - 127);
    const layer = prepareQuantizedLinear({
      weight,
      inFeatures,
      outFeatures,
      weightScale: new Float32Array(outFeatures).map((_, c) => 0.002 + c * 0.0005),
      inputScale: 0.03,
      inputZeroPoint: 110,
      bias: new Float32Array(outFeatures).map((_, c) => (c - 6) * 0.25),
      outputScale: 0.08,
      outputZeroPoint: 20,
      relu: true,
    });
    const batch = 7;
    const x = new Uint8Array(batch * inFeatures).map((_, i) => (i * 97) % 256);
    const expected = Array.from(cpuKernels[0]!.quantizedLinear(x, layer, batch));
    expect(new Set(expected).size).toBeGreaterThan(20);
    expect(Array.from(kernels.quantizedLinear(x, layer, batch))).toEqual(expected);
  });

  it("the *Async twins give the same results", async () => {
    for (const c of cases.filter((c) => c.op === "quantizedLinear" || c.op === "requantize")) {
      const r = await runCase(kernels, c, true);
      expect(r.error).toBeUndefined();
      expect(r.mismatches).toBe(0);
    }
  });
});

describe("the conformance cases are not friendly ones", () => {
  // All -128 against 255 is not among them: its products are multiples of 128, and float32 happens
  // to hold those partial sums exactly. The others (odd products) lose bits past 2^24.
  it("summing the k = 2,048 and odd-product k = 16,384 cases in float32 loses bits", () => {
    const hard = cases.filter((c) => c.op === "matmulInteger" && /2,048|all 127|largest/.test(c.name));
    expect(hard).toHaveLength(3);
    for (const c of hard) {
      const [a, b, o] = c.args as [
        Int8Array | Uint8Array,
        Int8Array | Uint8Array,
        { k: number; n: number; aZeroPoint?: number },
      ];
      // Row 0 against column 0 (b is [k, n], not transposed, in these cases).
      const col = Array.from({ length: o.k }, (_, kk) => b[kk * o.n]!);
      expect(float32SumIsInexact(a.subarray(0, o.k), col, o.aZeroPoint ?? 0, 0), c.name).toBe(true);
    }
  });
});
