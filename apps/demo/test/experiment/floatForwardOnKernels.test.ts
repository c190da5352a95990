import { createCpuKernels } from "@quantkit/kernels";
import { createMlp, Linear } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { floatForwardOnKernels } from "../../src/cli/experiment/floatForwardOnKernels";

describe("floatForwardOnKernels(model, x, batch, kernels)", () => {
  it("computes the MLP's logits on a backend's matmulF32", () => {
    const mlp = createMlp([5, 4, 3], { seed: 1 });
    const x = new Float32Array(10).map((_, i) => i / 7 - 0.5);
    const expected = mlp.eval().forward(x, [2, 5]).data;
    const got = floatForwardOnKernels(mlp, x, 2, createCpuKernels());
    for (let i = 0; i < 6; i++) expect(got[i]).toBeCloseTo(expected[i]!, 6);
    // A bare Linear is a one-layer MLP: x W^T + b, row by row.
    const fc = new Linear(2, 2, { seed: 3 });
    const one = floatForwardOnKernels(fc, x, 5, createCpuKernels());
    const w = fc.weight.data;
    const b = fc.bias!.data;
    for (let r = 0; r < 5; r++)
      for (let o = 0; o < 2; o++)
        expect(one[r * 2 + o]).toBeCloseTo(x[r * 2]! * w[o * 2]! + x[r * 2 + 1]! * w[o * 2 + 1]! + b[o]!, 6);
  });
});
