import { describe, expect, it } from "vitest";
import { argmax } from "../src/index";

describe("argmax", () => {
  it("argmax(scores, [N, C]) gives the first largest index of each row, for floats and uint8 codes", () => {
    expect(Array.from(argmax(new Float32Array([0.1, 0.7, 0.2, 3, 1, 3]), [2, 3]))).toEqual([1, 0]);
    expect(Array.from(argmax(new Uint8Array([3, 9, 9, 0, 0, 255]), [2, 3]))).toEqual([1, 2]);
    expect(Array.from(argmax(new Int8Array([-128, -5, -6]), [1, 3]))).toEqual([1]);
  });

  it("refuses NaN and a shape that does not fit", () => {
    expect(() => argmax(new Float32Array([1, Number.NaN]), [1, 2])).toThrow(/scores\[1\] \(row 0\) is NaN/);
    expect(() => argmax(new Uint8Array(5), [2, 3])).toThrow(/does not fit 5 values/);
  });
});
