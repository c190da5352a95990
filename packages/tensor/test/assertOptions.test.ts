import { describe, expect, it } from "vitest";
import { assertOptions } from "../src/index";

describe("assertOptions", () => {
  it("accepts undefined and objects whose keys are all known", () => {
    expect(() => assertOptions(undefined, ["a"])).not.toThrow();
    expect(() => assertOptions({}, ["a"])).not.toThrow();
    expect(() => assertOptions({ a: 1 }, ["a", "b"])).not.toThrow();
  });
  it("rejects an unknown key, naming it and the known ones", () => {
    expect(() => assertOptions({ bitz: 4 }, ["bits", "eps"], "MinMaxObserver options")).toThrow(
      'MinMaxObserver options has an unknown key "bitz"; known keys: bits, eps',
    );
  });
  it("rejects null, arrays and primitives", () => {
    expect(() => assertOptions(null, ["a"])).toThrow(/options must be an object, got null/);
    expect(() => assertOptions([1], ["a"])).toThrow(/got an array/);
    expect(() => assertOptions(3, ["a"])).toThrow(/got number/);
  });
});
