import type { Suite } from "../context";
import { benchFunctionNames, loadBenchModules } from "../packageBench";

/** Placeholder until @quantkit/numeric lands its bench: reports itself skipped, with the reason. */
export const numericSuite: Suite = {
  id: "numeric",
  title: "",
  package: "@quantkit/numeric",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "numeric");
    const names = benchFunctionNames(modules);
    ctx.skip(
      names.length === 0
        ? "packages/numeric/bench/*.bench.ts does not exist yet (@quantkit/numeric has not landed its bench function)"
        : `no adapter yet for ${names.join(", ")}`,
    );
  },
};
