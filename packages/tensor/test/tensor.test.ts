import { describe, expect, it } from "vitest";
import { assertFinite, tensor } from "../src/index";

describe("tensor", () => {
  it("tensor wraps without copying and rejects a shape that does not fit", () => {
    const data = new Float32Array(6);
    expect(tensor(data, [2, 3]).data).toBe(data);
    expect(() => tensor(data, [4, 2])).toThrow(RangeError);
  });
  it("assertFinite names the first bad index", () => {
    expect(() => assertFinite(new Float32Array([1, 2, Number.POSITIVE_INFINITY, Number.NaN]), "x")).toThrow(
      "x[2] is Infinity",
    );
    expect(() => assertFinite(new Float32Array([0, -3]))).not.toThrow();
  });
});
