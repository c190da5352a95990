import { describe, expect, it } from "vitest";
import { conv2dF32 } from "../src/index";
import { cpuBackends } from "./_backends";
import { geometries, lazy, options } from "./_convGeometries";
import { refConv2dF32, TestRng } from "./_reference";

const backends = cpuBackends();

describe("conv2dF32", () => {
  const floatCases = lazy(() => {
    const rng = new TestRng(62);
    return geometries.flatMap((g) => {
      const cg = g.inChannels / g.groups;
      const w = rng.float32(g.outChannels * cg * g.kernelH * g.kernelW);
      const x = rng.float32(g.batch * g.inChannels * g.height * g.width);
      return [undefined, rng.float32(g.outChannels)].map((bias) => ({
        g,
        w,
        x,
        bias,
        want: refConv2dF32(g, x, w, bias),
      }));
    });
  });

  for (const { name, kernels } of backends) {
    it(`on ${name}: conv2dF32 equals the direct float32 reference bit for bit`, () => {
      for (const { g, w, x, bias, want } of floatCases()) {
        const got = kernels.conv2dF32(x, w, { ...g, ...options(g), bias });
        expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(want.buffer));
      }
    });
  }

  it("rejects bad input, naming the argument", () => {
    expect(() =>
      conv2dF32(new Float32Array(9), new Float32Array(4), {
        batch: 1,
        inChannels: 1,
        height: 3,
        width: 3,
        outChannels: 1,
        kernelSize: 3,
        dilation: 2,
      }),
    ).toThrow(/smaller than the dilated kernel \(5\)/);
    expect(() =>
      conv2dF32(new Float32Array(9), new Float32Array(4), {
        batch: 1,
        inChannels: 1,
        height: 3,
        width: 3,
        outChannels: 1,
        kernelSize: 2,
        bias: new Float32Array(2),
      }),
    ).toThrow(/bias must have length outChannels = 1, got 2/);
  });
});
