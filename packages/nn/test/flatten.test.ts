import { describe, expect, it } from "vitest";
import { Flatten, Identity } from "../src/index";

describe("Flatten", () => {
  it("Flatten merges startDim..endDim without copying", () => {
    const x = new Float32Array(120);
    expect(new Flatten().forward(x, [2, 3, 4, 5]).shape).toEqual([2, 60]);
    expect(new Flatten(0, -1).forward(x, [2, 3, 4, 5]).shape).toEqual([120]);
    expect(new Flatten(1, 2).forward(x, [2, 3, 4, 5]).shape).toEqual([2, 12, 5]);
    expect(new Flatten().forward(x, [2, 3, 4, 5]).data).toBe(x);
    expect(new Identity().forward(x, [120]).data).toBe(x);
  });

  it("Flatten passes the gradient through unchanged", () => {
    const flat = new Flatten();
    const x = new Float32Array(24);
    expect(flat.forward(x, [2, 3, 4]).shape).toEqual([2, 12]);
    const g = new Float32Array(24).fill(3);
    expect(flat.backward(g)).toBe(g);
  });
});
