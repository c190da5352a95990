import { createMlp } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { convert, prepare } from "../src/index";

describe("convert", () => {
  it("convert before calibration names the layer that has seen nothing", () => {
    const p = prepare(createMlp([4, 3], { seed: 0 }));
    expect(() => convert(p, { inputShape: [4] })).toThrow(
      /"quant" has no quantization parameters yet \(calibrate/,
    );
    expect(() => convert(p)).toThrow(/input shape is unknown/);
  });
});
