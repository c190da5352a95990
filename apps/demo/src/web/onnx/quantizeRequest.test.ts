import { describe, expect, it } from "vitest";
import type { InputSpec } from "./exampleInput";
import type { OnnxMode } from "./jobs";
import { PAGE_MODES } from "./quantizeModel";
import { quantizeRequest } from "./quantizeRequest";

const specs: InputSpec[] = [{ name: "input_ids", type: "int64", shape: [1, 16], fill: "constant", value: 5 }];
const settings = (mode: OnnxMode, embeddings: boolean) => ({
  mode,
  perChannel: false,
  method: "gptq" as const,
  blockSize: 64,
  embeddings,
  specs,
  calibrationSamples: 8,
});

describe("quantizeRequest", () => {
  it('asks for op types MatMul and Gather when "also quantize embedding tables" is on in q4 and q4f16, MatMul alone otherwise', () => {
    const asked = PAGE_MODES.flatMap(({ mode }) =>
      [false, true].map((on) => [mode, on, quantizeRequest(settings(mode, on)).opTypes.join(",")]),
    );
    expect(asked).toEqual([
      ["fp16", false, "MatMul"],
      ["fp16", true, "MatMul"],
      ["q8", false, "MatMul"],
      ["q8", true, "MatMul"],
      ["int8", false, "MatMul"],
      ["int8", true, "MatMul"],
      ["q4", false, "MatMul"],
      ["q4", true, "MatMul,Gather"],
      ["q4f16", false, "MatMul"],
      ["q4f16", true, "MatMul,Gather"],
    ]);
  });

  it("passes the other settings through as the quantize job takes them, with no key the job does not know", () => {
    const r = quantizeRequest(settings("q4f16", true));
    expect(r).toEqual({
      mode: "q4f16",
      perChannel: false,
      method: "gptq",
      blockSize: 64,
      opTypes: ["MatMul", "Gather"],
      specs,
      calibrationSamples: 8,
    });
    expect(r.specs).not.toBe(specs);
  });
});
