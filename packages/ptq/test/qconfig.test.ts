import { describe, expect, it } from "vitest";
import { assertQConfig, defaultQConfig } from "../src/index";

describe("assertQConfig", () => {
  it("rejects signed activations, affine weights and codes wider than 8 bits", () => {
    expect(() =>
      assertQConfig({
        activation: { observer: "minmax", options: { dtype: "qint8" } },
        weight: defaultQConfig.weight,
      }),
    ).toThrow(/qconfig.activation must give uint8 codes .* got \[-128, 127\]/);
    expect(() =>
      assertQConfig({
        activation: defaultQConfig.activation,
        weight: { observer: "minmax", options: { dtype: "qint8", qscheme: "per_tensor_affine" } },
      }),
    ).toThrow(/qconfig.weight must be symmetric/);
    expect(() =>
      assertQConfig({
        activation: { observer: "minmax", options: { quantMin: 0, quantMax: 1023 } },
        weight: defaultQConfig.weight,
      }),
    ).toThrow(/within 0..255/);
    expect(() => assertQConfig(null as never)).toThrow(TypeError);
  });
});
