import { describe, expect, it } from "vitest";
import { DeQuantStub } from "../src/index";

describe("DeQuantStub", () => {
  it("is the identity in a prepared model: the same array and shape forward, the same gradient backward", () => {
    const stub = new DeQuantStub();
    const x = new Float32Array([1, -2, 3.5]);
    const y = stub.forward(x, [1, 3]);
    expect(y.data).toBe(x);
    expect(y.shape).toEqual([1, 3]);
    const g = new Float32Array([4, 5, 6]);
    expect(stub.backward(g)).toBe(g);
    expect(stub.parameters()).toEqual([]);
  });
});
