import { describe, expect, it } from "vitest";
import { runRangeExperiment } from "./rangeExperiment";
import { rangeVerdict } from "./rangeVerdict";

describe("rangeVerdict", () => {
  it("names, on the normal distribution at 4 bits, exactly the strategies whose MSE is below min-max's", () => {
    const { rows } = runRangeExperiment({ kind: "normal", bits: 4, scheme: "asymmetric" });
    const text = rangeVerdict(rows, false);
    const minmax = rows.find((r) => r.method === "minmax")!;
    const clauses = text.split("; ");
    const shown = (v: number) => Number(v.toPrecision(3));
    const labels: Record<string, string> = {
      percentile: "Percentile",
      mse: "MSE",
      entropy: "Entropy (KL)",
      crossentropy: "Cross-entropy",
      histogram: "Histogram (L2)",
    };
    for (const r of rows.filter((r) => r.method !== "minmax")) {
      const clause = clauses.find((c) => c.includes(`${labels[r.method]} (`))!;
      const a = shown(r.mseInliers);
      const b = shown(minmax.mseInliers);
      expect(clause).toMatch(a < b ? /beats? min-max/ : a === b ? /ties? with it/ : /(does|do) worse/);
    }
    // the claim the page used to make ("every clipping strategy beats min-max") is not what the numbers say
    expect(rows.some((r) => r.mseInliers >= minmax.mseInliers && r.method !== "minmax")).toBe(true);
    expect(text).not.toContain("every other strategy");
  });

  it("says which strategies keep the deck's outlier at 1000 and which clip it", () => {
    const { rows } = runRangeExperiment({ kind: "outlier", bits: 8, scheme: "asymmetric" });
    const text = rangeVerdict(rows, true);
    expect(text).toMatch(/Min-max[^;.]* keep/);
    expect(text).toMatch(/Percentile[^;]* clip/);
  });
});
