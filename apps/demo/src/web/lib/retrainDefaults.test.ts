import { describe, expect, it } from "vitest";
import { retrainDefaults } from "./retrainDefaults";

describe("retrainDefaults", () => {
  it("repeats the current model's digits and epochs: a 7,996-digit model is retrained on 7,996", () => {
    expect(retrainDefaults({ trained: true, trainSize: 7996, epochs: 1 })).toEqual({
      trainSize: 7996,
      epochs: 1,
    });
    expect(retrainDefaults({ trained: true, trainSize: 2000, epochs: 3 })).toEqual({
      trainSize: 2000,
      epochs: 3,
    });
  });

  it("leaves the controls alone for a loaded checkpoint or no model", () => {
    expect(retrainDefaults({ trained: true, trainSize: 0, epochs: 0 })).toEqual({});
    expect(retrainDefaults({ trained: false, trainSize: null, epochs: null })).toEqual({});
    expect(retrainDefaults(undefined)).toEqual({});
  });
});
