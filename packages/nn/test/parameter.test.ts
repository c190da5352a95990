import { describe, expect, it } from "vitest";
import { createParameter } from "../src/index";

describe("createParameter", () => {
  it("createParameter(name, shape) is zero-filled data and grad of the shape's size", () => {
    const w = createParameter("weight", [2, 3]);
    expect(w.name).toBe("weight");
    expect(w.shape).toEqual([2, 3]);
    expect(Array.from(w.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(w.grad)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(w.grad).not.toBe(w.data);
    expect(createParameter("s", []).data.length).toBe(1); // a scalar
  });
  it("wraps given data without copying, and copies the shape", () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const shape = [4];
    const p = createParameter("b", shape, data);
    expect(p.data).toBe(data);
    expect(p.grad.length).toBe(4);
    shape[0] = 9;
    expect(p.shape).toEqual([4]);
  });
  it("data that does not fit the shape is an error naming the parameter", () => {
    expect(() => createParameter("fc1.weight", [2, 3], new Float32Array(5))).toThrow(
      "fc1.weight has 5 elements but shape [2, 3] needs 6",
    );
  });
});
