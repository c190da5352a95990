import type { Suite } from "../context";
import { benchFunctionNames, loadBenchModules } from "../packageBench";

/** Placeholder until @quantkit/quantizers lands its bench: reports itself skipped, with the reason. */
export const quantizersSuite: Suite = {
  id: "quantizers",
  title: "",
  package: "@quantkit/quantizers",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "quantizers");
    const names = benchFunctionNames(modules);
    ctx.skip(
      names.length === 0
        ? "packages/quantizers/bench/*.bench.ts does not exist yet (@quantkit/quantizers has not landed its bench function)"
        : `no adapter yet for ${names.join(", ")}`,
    );
  },
};
