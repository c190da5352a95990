import { describe, expect, it } from "vitest";
import { assertQScheme, isPerChannel, isSymmetric, QSCHEMES } from "../src/index";

describe("qscheme names (PyTorch's)", () => {
  it("QSCHEMES are torch's four names; isSymmetric and isPerChannel split them two by two", () => {
    expect(QSCHEMES).toEqual([
      "per_tensor_affine",
      "per_tensor_symmetric",
      "per_channel_affine",
      "per_channel_symmetric",
    ]);
    expect(QSCHEMES.map((q) => [isSymmetric(q), isPerChannel(q)])).toEqual([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]);
  });

  it("assertQScheme accepts the four names and names the argument and the value otherwise", () => {
    for (const q of QSCHEMES) expect(() => assertQScheme(q)).not.toThrow();
    expect(() => assertQScheme("affine")).toThrow(
      'qscheme must be one of per_tensor_affine, per_tensor_symmetric, per_channel_affine, per_channel_symmetric; got "affine"',
    );
    expect(() => assertQScheme("torch.per_tensor_affine", "qparams.qscheme")).toThrow(
      /^qparams\.qscheme must be one of .*; got "torch\.per_tensor_affine"$/,
    );
    expect(() => assertQScheme(0)).toThrow(TypeError);
  });
});
