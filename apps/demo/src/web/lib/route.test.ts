import { describe, expect, it } from "vitest";
import { neighbours, sectionIdFromHash } from "./route";

const ids = ["why", "integers", "floats"];

describe("sectionIdFromHash", () => {
  it("opens the section the hash names, tolerating slashes and case", () => {
    expect(sectionIdFromHash("#floats", ids)).toBe("floats");
    expect(sectionIdFromHash("#/Integers/", ids)).toBe("integers");
  });
  it("falls back to the first section", () => {
    expect(sectionIdFromHash("", ids)).toBe("why");
    expect(sectionIdFromHash("#nope", ids)).toBe("why");
  });
});

describe("neighbours", () => {
  it("gives the previous and next sections", () => {
    expect(neighbours("integers", ids)).toEqual({ prev: "why", next: "floats" });
    expect(neighbours("floats", ids)).toEqual({ prev: "integers", next: undefined });
    expect(() => neighbours("x", ids)).toThrow(RangeError);
  });
});
