import { describe, expect, it } from "vitest";
import { defaultSpecs, makeFeeds, parseShape, SILERO_SPECS } from "./exampleInput";

describe("example inputs of an ONNX model", () => {
  it("parseShape reads what people type and names the bad dimension", () => {
    expect(parseShape("[1, 3, 48, 192]")).toEqual([1, 3, 48, 192]);
    expect(parseShape("1 512")).toEqual([1, 512]);
    expect(parseShape("2x1x128")).toEqual([2, 1, 128]);
    expect(parseShape("[]")).toEqual([]);
    expect(() => parseShape("[1, 0]")).toThrow(/dimension "0"/);
    expect(() => parseShape("[1, -3]")).toThrow(/dimension "-3"/);
    expect(() => parseShape("[1, b]")).toThrow(/dimension "b"/);
    expect(() => parseShape("[65536, 65536]")).toThrow(/more than 2\^26/);
  });

  it("defaultSpecs keeps declared dimensions, sets open ones to 1, floats random and integers zero", () => {
    const specs = defaultSpecs([
      { name: "x", type: "float32", shape: ["batch", 3, 48, null] },
      { name: "ids", type: "int64", shape: undefined },
    ]);
    expect(specs).toEqual([
      { name: "x", type: "float32", shape: [1, 3, 48, 1], fill: "normal", value: 0 },
      { name: "ids", type: "int64", shape: [1], fill: "zeros", value: 0 },
    ]);
  });

  it("makeFeeds draws the same values for the same seed, others for another, typed as the input", () => {
    const a = makeFeeds(SILERO_SPECS, 0);
    const b = makeFeeds(SILERO_SPECS, 0);
    const c = makeFeeds(SILERO_SPECS, 1);
    expect(a.input!.dims).toEqual([1, 512]);
    expect(a.input!.data).toEqual(b.input!.data);
    expect(a.input!.data).not.toEqual(c.input!.data);
    const x = a.input!.data as Float32Array;
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
    expect(a.state!.data).toEqual(new Float32Array(256));
    expect(a.sr).toEqual({ type: "int64", data: BigInt64Array.of(16000n), dims: [] });
    expect(() => makeFeeds([{ name: "s", type: "string", shape: [1], fill: "zeros", value: 0 }])).toThrow(
      /input "s" is string/,
    );
  });
});
