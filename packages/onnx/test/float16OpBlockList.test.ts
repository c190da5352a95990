import { describe, expect, it } from "vitest";
import {
  convertFloatToFloat16,
  DataType,
  FLOAT16_OP_BLOCK_LIST,
  makeGraph,
  makeModel,
  makeNode,
  makeValueInfo,
} from "../src/index";

describe("FLOAT16_OP_BLOCK_LIST", () => {
  it("is frozen and has no repeats; Cast is not in it (a Cast to float32 becomes a Cast to float16)", () => {
    expect(Object.isFrozen(FLOAT16_OP_BLOCK_LIST)).toBe(true);
    expect(new Set(FLOAT16_OP_BLOCK_LIST).size).toBe(FLOAT16_OP_BLOCK_LIST.length);
    expect(FLOAT16_OP_BLOCK_LIST).not.toContain("Cast");
  });
  it("holds the groups its comment names: ai.onnx.ml, random *Like, index ops, Min/Max, quantization, signal", () => {
    for (const op of [
      "TreeEnsembleClassifier",
      "ZipMap",
      "RandomNormalLike",
      "NonMaxSuppression",
      "TopK",
      "Resize",
      "Range",
      "CumSum",
      "Min",
      "Max",
      "QuantizeLinear",
      "DequantizeLinear",
      "DynamicQuantizeLinear",
      "STFT",
      "HannWindow",
      "TfIdfVectorizer",
    ]) {
      expect(FLOAT16_OP_BLOCK_LIST, op).toContain(op);
    }
    expect(FLOAT16_OP_BLOCK_LIST.length).toBe(39);
  });
  it("is convertFloatToFloat16's default: a Min stays float32, unless the list is replaced", () => {
    const model = () =>
      makeModel(
        makeGraph({
          name: "g",
          node: [
            makeNode("Min", ["a", "b"], ["m"], { name: "min" }),
            makeNode("Relu", ["m"], ["y"], { name: "relu" }),
          ],
          input: [makeValueInfo("a", DataType.FLOAT, [2]), makeValueInfo("b", DataType.FLOAT, [2])],
          output: [makeValueInfo("y", DataType.FLOAT, [2])],
        }),
        { opsets: { "": 17 } },
      );
    expect(convertFloatToFloat16(model()).report.blockedNodes).toEqual([
      { name: "min", opType: "Min", path: "main" },
    ]);
    expect(convertFloatToFloat16(model(), { opBlockList: [] }).report.blockedNodes).toEqual([]);
  });
});
