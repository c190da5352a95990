import type { Suite } from "../context";
import { benchFunctionNames, loadBenchModules } from "../packageBench";

/** Placeholder until @quantkit/ptq lands its bench: reports itself skipped, with the reason. */
export const e2eSuite: Suite = {
  id: "e2e",
  title: "",
  package: "@quantkit/ptq",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "ptq");
    const names = benchFunctionNames(modules);
    ctx.skip(
      names.length === 0
        ? "packages/ptq/bench/*.bench.ts does not exist yet (@quantkit/ptq has not landed its bench function)"
        : `no adapter yet for ${names.join(", ")}`,
    );
  },
};
