import { describe, expect, it } from "vitest";
import {
  DataType,
  makeGraph,
  makeModel,
  makeValueInfo,
  readModel,
  setValueType,
  valueType,
  writeModel,
} from "../src/index";

describe("editing", () => {
  it("valueType / setValueType read and change value_info, inputs and outputs", () => {
    const g = makeGraph({
      name: "g",
      input: [makeValueInfo("x", DataType.FLOAT, ["n", 3])],
      output: [makeValueInfo("y", DataType.FLOAT, [null])],
    });
    expect(valueType(g, "x")).toEqual({ elemType: DataType.FLOAT, shape: ["n", 3] });
    expect(setValueType(g, "x", DataType.FLOAT16)).toBe(1);
    expect(valueType(g, "x")).toEqual({ elemType: DataType.FLOAT16, shape: ["n", 3] });
    expect(setValueType(g, "h", DataType.FLOAT16, [2])).toBe(1);
    expect(g.valueInfo.map((v) => v.name)).toEqual(["h"]);
    expect(valueType(readModel(writeModel(makeModel(g))).graph!, "y")).toEqual({
      elemType: DataType.FLOAT,
      shape: [null],
    });
  });
});
