import type { Suite } from "../context";
import { benchFunctionNames, loadBenchModules } from "../packageBench";

/** Placeholder until @quantkit/calibrators lands its bench: reports itself skipped, with the reason. */
export const calibratorsSuite: Suite = {
  id: "calibrators",
  title: "",
  package: "@quantkit/calibrators",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "calibrators");
    const names = benchFunctionNames(modules);
    ctx.skip(
      names.length === 0
        ? "packages/calibrators/bench/*.bench.ts does not exist yet (@quantkit/calibrators has not landed its bench function)"
        : `no adapter yet for ${names.join(", ")}`,
    );
  },
};
