import { createCpuKernels } from "@quantkit/kernels";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createGpuKernels, type GpuBackend, type GpuKernels } from "../src/index";
import { refMatmulInteger, refRequantize } from "./_reference";

const cpu = createCpuKernels({ simd: false });
const opened: GpuKernels[] = [];
afterAll(async () => {
  for (const k of opened) await k.destroy();
});
function open(backend: GpuBackend): GpuKernels {
  const k = createGpuKernels({ backend });
  opened.push(k);
  return k;
}

const int32 = fc.integer({ min: -2147483648, max: 2147483647 });
// Accumulators from every scale: full int32, and the small ones real layers produce.
const acc = fc.oneof(
  int32,
  fc.integer({ min: -70000, max: 70000 }),
  fc.constantFrom(-2147483648, 2147483647, 0, -1),
);
const CHANNELS = 4;
const LENGTH = 64;

// Fixed shapes, so that a backend compiles its kernels once and every run only changes the values.
describe.each([
  ["headlessgl", 12],
  ["webasm", 40],
  ["cpu", 40],
] as const)("properties on %s", (backend, numRuns) => {
  const kernels = open(backend);

  it("requantize equals the BigInt reference and @quantkit/kernels for any int32 accumulators, non-negative multipliers and shifts", () => {
    fc.assert(
      fc.property(
        fc.array(acc, { minLength: LENGTH, maxLength: LENGTH }),
        // The contract's multipliers: 0 or positive (quantizeMultiplier gives 0 or [2^30, 2^31 - 1]).
        fc.array(fc.integer({ min: 0, max: 2147483647 }), { minLength: CHANNELS, maxLength: CHANNELS }),
        fc.array(fc.integer({ min: -31, max: 30 }), { minLength: CHANNELS, maxLength: CHANNELS }),
        fc.integer({ min: 0, max: 255 }),
        (values, multipliers, shifts, zp) => {
          const a = Int32Array.from(values);
          const p = {
            multiplier: Int32Array.from(multipliers),
            shift: Int32Array.from(shifts),
            outputZeroPoint: zp,
            outputMin: 0,
            outputMax: 255,
            channels: CHANNELS,
          };
          const got = Array.from(kernels.requantize(a, p));
          expect(got).toEqual(refRequantize(a, p));
          expect(got).toEqual(Array.from(cpu.requantize(a, p)));
        },
      ),
      { numRuns, seed: 42 },
    );
    expect(kernels.backend).toBe(backend);
  });

  it("matmulInteger equals @quantkit/kernels for any 8-bit values and zero points", () => {
    const m = 3;
    const k = 600;
    const n = 2;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: m * k, maxLength: m * k }),
        fc.array(fc.integer({ min: -128, max: 127 }), { minLength: k * n, maxLength: k * n }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: -128, max: 127 }),
        (av, bv, za, zb) => {
          const a = Uint8Array.from(av);
          const b = Int8Array.from(bv);
          const o = { m, k, n, aZeroPoint: za, bZeroPoint: zb };
          const got = Array.from(kernels.matmulInteger(a, b, o));
          expect(got).toEqual(Array.from(refMatmulInteger(a, b, o)));
          expect(got).toEqual(Array.from(cpu.matmulInteger(a, b, o)));
        },
      ),
      // The block plan depends on the zero points (max |product|): a few shapes compile per backend.
      { numRuns: Math.ceil(numRuns / 2), seed: 7 },
    );
  });
});
