import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  allNodes,
  FunctionProtoSchema,
  makeGraph,
  makeModel,
  makeNode,
  readModel,
  writeModel,
} from "../src/index";
import { nestedModel } from "./_nestedModel";

describe("allNodes", () => {
  it("every node of the main graph and every subgraph, in graphs() order, with its graph's path", () => {
    const model = readModel(writeModel(nestedModel()));
    expect(allNodes(model).map((e) => [e.path, e.node.opType])).toEqual([
      ["main", "Constant"],
      ["main", "Add"],
      ["main", "If"],
      ["main/if.then_branch", "Constant"],
      ["main/if.then_branch", "Loop"],
      ["main/if.then_branch/loop.body", "Constant"],
      ["main/if.then_branch/loop.body", "Add"],
      ["main/if.then_branch/loop.body", "Identity"],
      ["main/if.else_branch", "Mul"],
    ]);
    const bodyAdd = allNodes(model).find((e) => e.node.name === "body_add")!;
    expect(bodyAdd.graph!.name).toBe("loop_body");
    expect(bodyAdd.function).toBeUndefined();
  });
  it("and the bodies of model-local functions, as function:NAME with no graph", () => {
    const model = makeModel(
      makeGraph({ name: "g", node: [makeNode("MyRelu", ["x"], ["y"], { domain: "local" })] }),
    );
    const f = create(FunctionProtoSchema, {
      name: "MyRelu",
      domain: "local",
      input: ["a"],
      output: ["b"],
      node: [makeNode("Relu", ["a"], ["b"])],
    });
    model.functions.push(f);
    const entries = allNodes(model);
    expect(entries.map((e) => [e.path, e.node.opType])).toEqual([
      ["main", "MyRelu"],
      ["function:MyRelu", "Relu"],
    ]);
    expect(entries[1]!.graph).toBeUndefined();
    expect(entries[1]!.function).toBe(f);
  });
});
