import type { Suite } from "../../src/context";

/** A suite for the runner's test that throws after measuring nothing. */
export const suite: Suite = {
  id: "failing",
  title: "test suite that fails",
  package: "test",
  async run() {
    throw new RangeError("kernel differs from onnxruntime at [3]");
  },
};
