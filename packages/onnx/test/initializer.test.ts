import { describe, expect, it } from "vitest";
import { DataType, getInitializer, makeTensor, removeInitializer, setInitializer } from "../src/index";
import { withBranch } from "./_branchGraph";

describe("editing", () => {
  it("removeNode, replaceNode, initializers", () => {
    const { graph } = withBranch();
    setInitializer(graph, makeTensor("w", DataType.FLOAT, [1], [1]));
    setInitializer(graph, makeTensor("w", DataType.FLOAT, [2], [1, 2]));
    expect(graph.initializer.length).toBe(1);
    expect(getInitializer(graph, "w")!.dims).toEqual([2n]);
    expect([removeInitializer(graph, "w"), removeInitializer(graph, "w")]).toEqual([true, false]);
  });
});
