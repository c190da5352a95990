import { describe, expect, it } from "vitest";
import { argmax, softmax } from "../src/index";

describe("softmax", () => {
  it("softmax and argmax", () => {
    const p = softmax(new Float32Array([0, Math.log(3), 1000, 1000]), [2, 2]);
    expect(Array.from(p)).toEqual([0.25, 0.75, 0.5, 0.5].map(Math.fround));
    expect(Array.from(argmax(new Float32Array([0.1, 0.7, 0.2, 3, 1, 3]), [2, 3]))).toEqual([1, 0]);
  });
});
