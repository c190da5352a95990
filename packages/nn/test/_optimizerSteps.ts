import { expect } from "vitest";
import { createParameter, type Optimizer } from "../src/index";

// Three steps on p = [1, -0.5, 0.25] with fixed gradients; the expected values were printed by
// PyTorch 1.13 (torch.optim.SGD / Adam / AdamW on float32 tensors, Debian's python3-torch).
export const P0 = [1, -0.5, 0.25];
export const GRADS = [
  [0.5, -0.2, 0],
  [-0.25, 0.1, 0.3],
  [0.125, 0.4, -0.05],
];

export function run(make: (params: ReturnType<typeof createParameter>[]) => Optimizer): number[][] {
  const p = createParameter("p", [3], Float32Array.from(P0));
  const opt = make([p]);
  return GRADS.map((g) => {
    opt.zeroGrad();
    p.grad.set(g);
    opt.step();
    return Array.from(p.data);
  });
}

export function expectClose(actual: number[][], expected: number[][]): void {
  for (let s = 0; s < actual.length; s++) {
    for (let i = 0; i < actual[s]!.length; i++) {
      const v = actual[s]![i]!;
      const e = expected[s]![i]!;
      // float32 results: within a few ulps of PyTorch's
      expect(Math.abs(v - e), `step ${s + 1}, element ${i}: ${v} vs PyTorch ${e}`).toBeLessThanOrEqual(
        4e-7 * Math.max(1, Math.abs(e)),
      );
    }
  }
}
