import { describe, expect, it } from "vitest";
import { prepareQuantizedConv2d } from "../src/index";
import { groupedConvParams } from "./_convGeometries";

describe("prepareQuantizedConv2d", () => {
  it("rejects bad input, naming the argument", () => {
    const params = groupedConvParams();
    expect(() => prepareQuantizedConv2d({ ...params, groups: 3 })).toThrow(
      /groups \(3\) must divide inChannels \(4\) and outChannels \(4\)/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, weight: new Int8Array(10) })).toThrow(
      /weight must have length outChannels \* \(inChannels \/ groups\)/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, kernelSize: 0 })).toThrow(
      /kernelSize must be a positive integer, got 0/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, padding: -1 })).toThrow(
      /padding must be a non-negative integer, got -1/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, stride: [1, 1.5] })).toThrow(
      /stride\[1\] must be a positive integer, got 1.5/,
    );
  });
});
