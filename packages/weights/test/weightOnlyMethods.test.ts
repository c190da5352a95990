import { describe, expect, it } from "vitest";
import * as weights from "../src/index";
import { WEIGHT_ONLY_METHODS } from "../src/index";

describe("WEIGHT_ONLY_METHODS", () => {
  it("names each weight-only method of the package once, rtn first (the default where one is picked)", () => {
    expect([...WEIGHT_ONLY_METHODS]).toEqual(["rtn", "gptq", "awq", "hqq"]);
    const functionOf = { rtn: "quantizeBlockwise", gptq: "gptq", awq: "awq", hqq: "hqq" } as const;
    for (const method of WEIGHT_ONLY_METHODS) {
      expect(typeof (weights as Record<string, unknown>)[functionOf[method]], method).toBe("function");
    }
  });
});
