import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { choiceOption, intOption, listOption, numberOption, positiveOption } from "./parse";

describe("option parsers", () => {
  it("intOption(min, max) takes integers in range only", () => {
    const bits = intOption(2, 8);
    expect(bits("4")).toBe(4);
    expect(bits(" 8 ")).toBe(8);
    for (const bad of ["9", "1", "4.5", "x", "", "1e1"])
      expect(() => bits(bad)).toThrow(InvalidArgumentError);
    expect(() => bits("9")).toThrow('expected an integer in 2..8, got "9"');
  });

  it("positiveOption and numberOption take finite numbers", () => {
    expect(positiveOption("1e-3")).toBe(0.001);
    for (const bad of ["0", "-1", "inf", "", "abc"])
      expect(() => positiveOption(bad)).toThrow(InvalidArgumentError);
    expect(numberOption("-2.5")).toBe(-2.5);
    expect(() => numberOption("NaN")).toThrow(InvalidArgumentError);
  });

  it("listOption splits on commas, drops duplicates and rejects unknown names", () => {
    const list = listOption(["minmax", "mse", "histogram"] as const);
    expect(list("mse, minmax,mse")).toEqual(["mse", "minmax"]);
    expect(() => list("minmax,kl")).toThrow('"kl" is not one of minmax, mse, histogram');
    expect(() => list("")).toThrow(InvalidArgumentError);
    expect(listOption(["a"] as const, true)("")).toEqual([]);
    expect(choiceOption(["a", "b"] as const)("b")).toBe("b");
    expect(() => choiceOption(["a", "b"] as const)("c")).toThrow(InvalidArgumentError);
  });
});
