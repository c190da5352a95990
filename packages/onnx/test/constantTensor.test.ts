import { describe, expect, it } from "vitest";
import { AttributeType, constantTensor, makeNode, toArray } from "../src/index";

const list = (a: ArrayLike<unknown>): unknown[] => Array.from(a);

describe("constantTensor", () => {
  it("constantTensor decodes value_float, value_ints and value_strings", () => {
    const f = makeNode("Constant", [], ["c"], { attributes: { value_float: 0.5 } });
    f.attribute[0]!.type = AttributeType.FLOAT;
    expect(list(toArray(constantTensor(f)))).toEqual([0.5]);
    expect(constantTensor(f).dims).toEqual([]);
    const ints = makeNode("Constant", [], ["c"], { attributes: { value_ints: [1, -2] } });
    expect(list(toArray(constantTensor(ints)) as BigInt64Array)).toEqual([1n, -2n]);
    expect(() => constantTensor(makeNode("Relu", ["x"], ["y"], { name: "r" }))).toThrow(
      /constantTensor\(node "r"\): not a Constant node \(op_type "Relu"/,
    );
  });
});
