import { describe, expect, it } from "vitest";
import { allocateCodes } from "../src/index";

describe("allocateCodes", () => {
  it("allocateCodes picks the natural typed array", () => {
    expect(allocateCodes(1, 0, 255)).toBeInstanceOf(Uint8Array);
    expect(allocateCodes(1, -127, 127)).toBeInstanceOf(Int8Array);
    expect(allocateCodes(1, 0, 65535)).toBeInstanceOf(Uint16Array);
    expect(allocateCodes(1, -32768, 32767)).toBeInstanceOf(Int16Array);
    expect(allocateCodes(1, -70000, 70000)).toBeInstanceOf(Int32Array);
    expect(allocateCodes(1, 0, 255, "qint32")).toBeInstanceOf(Int32Array);
  });
});
