import { describe, expect, it } from "vitest";
import { opsetVersion, readModel, setOpsetVersion } from "../src/index";
import { modelBytes } from "./_fixtures";

describe("opsets and IR versions", () => {
  it("opsetVersion reads ai.onnx and other domains; setOpsetVersion adds or changes", () => {
    const model = readModel(modelBytes("sileroV5"));
    expect(opsetVersion(model)).toBe(16);
    expect(opsetVersion(model, "ai.onnx")).toBe(16);
    setOpsetVersion(model, "com.microsoft", 1);
    setOpsetVersion(model, "", 17);
    expect([opsetVersion(model, "com.microsoft"), opsetVersion(model)]).toEqual([1, 17]);
    expect(() => setOpsetVersion(model, "", 0)).toThrow(/version must be an integer >= 1, got 0/);
  });
});
