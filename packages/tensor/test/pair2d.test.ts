import { describe, expect, it } from "vitest";
import { pair2d } from "../src/index";

describe("pair2d", () => {
  it("pair2d(value, name, min) gives [h, w] from a number or a pair (PyTorch's _pair)", () => {
    expect(pair2d(3, "kernelSize")).toEqual([3, 3]);
    expect(pair2d([1, 2], "padding", 0)).toEqual([1, 2]);
    expect(pair2d(0, "padding", 0)).toEqual([0, 0]);
  });

  it("names the argument, the entry and the bad value", () => {
    expect(() => pair2d(0, "stride")).toThrow(new RangeError("stride must be a positive integer, got 0"));
    expect(() => pair2d([1, -1], "padding", 0)).toThrow(
      new RangeError("padding[1] must be a non-negative integer, got -1"),
    );
    expect(() => pair2d(1.5, "kernelSize")).toThrow(RangeError);
    expect(() => pair2d("3" as never, "kernelSize")).toThrow(
      new TypeError('kernelSize must be a number or a [height, width] pair, got "3"'),
    );
    expect(() => pair2d(["1", 2] as never, "stride")).toThrow(
      new TypeError("stride[0] must be a number, got string"),
    );
    expect(() => pair2d([1, 2, 3] as never, "dilation")).toThrow(TypeError);
  });
});
