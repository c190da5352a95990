import type { Suite } from "../../src/context";

/** A suite for the runner's test whose package is missing. */
export const suite: Suite = {
  id: "skipping",
  title: "test suite that skips",
  package: "test",
  async run(ctx) {
    ctx.skip("packages/nothing/bench/*.bench.ts does not exist yet");
  },
};
