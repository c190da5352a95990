import { describe, expect, it } from "vitest";
import { Identity } from "../src/index";

describe("Identity (torch.nn.Identity)", () => {
  it("forward returns the input array and shape themselves; backward the gradient itself", () => {
    const id = new Identity();
    const x = new Float32Array([1.5, -2, Number.NaN, 0]);
    const y = id.forward(x, [2, 2]);
    expect(y.data).toBe(x);
    expect(y.shape).toEqual([2, 2]);
    const g = new Float32Array([3, 4, 5, 6]);
    expect(id.backward(g)).toBe(g);
  });
  it("has no parameters and prints like PyTorch: Identity()", () => {
    const id = new Identity();
    expect(id.parameters()).toEqual([]);
    expect(id.toString()).toBe("Identity()");
  });
});
