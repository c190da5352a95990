import type { Suite } from "../context";
import { benchFunctionNames, loadBenchModules } from "../packageBench";

/** Placeholder until @quantkit/kernels-gpu lands its bench: reports itself skipped, with the reason. */
export const kernelsGpuSuite: Suite = {
  id: "kernelsGpu",
  title: "",
  package: "@quantkit/kernels-gpu",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "kernels-gpu");
    const names = benchFunctionNames(modules);
    ctx.skip(
      names.length === 0
        ? "packages/kernels-gpu/bench/*.bench.ts does not exist yet (@quantkit/kernels-gpu has not landed its bench function)"
        : `no adapter yet for ${names.join(", ")}`,
    );
  },
};
