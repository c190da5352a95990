import { describe, expect, it } from "vitest";
import { parseValues } from "./parseValues";

describe("parseValues", () => {
  it("splits on commas, spaces, semicolons and new lines", () => {
    expect(parseValues("-50, 0 10;120\n150")).toEqual({
      ok: true,
      values: new Float32Array([-50, 0, 10, 120, 150]),
    });
    expect(parseValues(" 1e2 , -0.5 ")).toEqual({ ok: true, values: new Float32Array([100, -0.5]) });
  });
  it("says what is wrong", () => {
    expect(parseValues("1, x")).toEqual({ ok: false, error: 'not a number: "x"' });
    expect(parseValues("1, Infinity")).toEqual({ ok: false, error: 'not a number: "Infinity"' });
    expect(parseValues("7")).toEqual({ ok: false, error: "type at least 2 numbers" });
    expect(parseValues("1 2 3", { max: 2 })).toEqual({ ok: false, error: "at most 2 numbers here, got 3" });
  });
});
