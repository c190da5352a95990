import { describe, expect, it } from "vitest";
import { fakeQuantizeBackward } from "../src/index";

const x = new Float32Array([-1, 0, 0.5, 2]);

describe("codes and masks outside their range are errors (item 4)", () => {
  it("fakeQuantizeBackward rejects a mask value other than 0 and 1 (2 would double the gradient)", () => {
    const g = new Float32Array([1, 1]);
    expect(Array.from(fakeQuantizeBackward(g, new Uint8Array([1, 0])))).toEqual([1, 0]);
    expect(() => fakeQuantizeBackward(g, new Uint8Array([1, 2]))).toThrow(/mask\[1\] = 2/);
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  it.each([["fakeQuantizeBackward", () => fakeQuantizeBackward(x, new Uint8Array(4), { outt: x } as never)]])(
    "%s",
    (name, call) => {
      expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
    },
  );
});

describe("the straight-through estimator", () => {
  it("fakeQuantizeBackward passes the gradient where the mask is 1 and zeroes it elsewhere (the product, as PyTorch)", () => {
    const grad = new Float32Array([0.5, -1, 2, Number.NaN, -3]);
    const mask = new Uint8Array([1, 0, 1, 0, 0]);
    const dx = fakeQuantizeBackward(grad, mask);
    expect(Array.from(dx)).toEqual([0.5, -0, 2, Number.NaN, -0]);
    const out = new Float32Array(5);
    expect(fakeQuantizeBackward(grad, mask, { out })).toBe(out);
    expect(() => fakeQuantizeBackward(grad, new Uint8Array(4))).toThrow(
      "gradOutput has 5 elements but mask has 4",
    );
  });
});
