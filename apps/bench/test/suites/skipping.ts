import type { Suite } from "../../src/context";

/** A suite for the runner's test that cannot measure on this machine (as kernels-gpu without a GPU backend). */
export const suite: Suite = {
  id: "skipping",
  title: "test suite that skips",
  package: "test",
  async run(ctx) {
    ctx.skip("no gpu.js backend on this machine");
  },
};
