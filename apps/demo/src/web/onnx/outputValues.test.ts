import { describe, expect, it } from "vitest";
import { outputValues } from "./outputValues";

describe("outputValues", () => {
  it("decodes float16 outputs from their bits, converts int64, takes float32 as it is", () => {
    expect(
      Array.from(outputValues({ type: "float16", data: Uint16Array.of(0x3c00, 0xc000, 0x3555, 0x7c00) })),
    ).toEqual([1, -2, 0.333251953125, Infinity]);
    expect(Array.from(outputValues({ type: "int64", data: BigInt64Array.of(-3n, 2n ** 40n) }))).toEqual([
      -3,
      2 ** 40,
    ]);
    expect(Array.from(outputValues({ type: "float32", data: Float32Array.of(0.1, -0) }))).toEqual([
      Math.fround(0.1),
      -0,
    ]);
  });
});
