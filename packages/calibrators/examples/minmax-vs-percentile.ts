/**
 * The deck's notebook "min-max vs percentile", runnable:
 *
 *   npx tsx --conditions=@quantkit/source packages/calibrators/examples/minmax-vs-percentile.ts [--seed N]
 *
 * 10,000 values uniform in [-50, 150] plus one outlier at 1000, 8-bit asymmetric; for each observer's
 * range, the MSE of fake quantization over the 10,000 inliers (the notebook: 1.39 min-max, 0.05 percentile).
 */
import { pathToFileURL } from "node:url";
import { formatObserverComparison, type MinMaxVsPercentileResult, minMaxVsPercentile } from "../src/index";

/** Runs the experiment and returns its printable report. */
export function minMaxVsPercentileReport(seed = 0): { result: MinMaxVsPercentileResult; text: string } {
  const result = minMaxVsPercentile({ seed });
  const minmax = result.rows.find((r) => r.method === "minmax")!;
  const pct = result.rows.find((r) => r.method === "percentile")!;
  const text = [
    `min-max vs percentile: 10,000 values uniform in [-50, 150) (Rng seed ${seed}) + one outlier 1000, quint8 per_tensor_affine`,
    "",
    formatObserverComparison(result.rows),
    "",
    `MSE over the inliers: min-max ${minmax.mseInliers.toFixed(2)} vs percentile ${pct.mseInliers.toFixed(3)} ` +
      `(${(minmax.mseInliers / pct.mseInliers).toFixed(1)}x; the notebook measured 1.39 vs 0.05)`,
  ].join("\n");
  return { result, text };
}

// Run as a script (not when imported, nor when bundled into a file of another name).
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  import.meta.url.includes("minmax-vs-percentile")
) {
  const i = process.argv.indexOf("--seed");
  console.log(minMaxVsPercentileReport(i > 0 ? Number(process.argv[i + 1]) : 0).text);
}
