/**
 * The side-by-side view of two runs: every ratio in both, grouped by suite; a change is marked only
 * when it is beyond the threshold (by default the runs' own measured noise, see `noiseThreshold`) and
 * the two runs' min–max ranges do not overlap. Ratios that could not be compared are counted per suite.
 */
import type { ChartConfiguration } from "chart.js";
import { compareRuns, missingBySuite, type RatioChange } from "../src/compare";
import type { BenchResultFile } from "../src/schema";
import { formatNumber } from "../src/views";
import { chartOptions, ratioAxis } from "./chartOptions";
import { chartCard, unitLine } from "./charts";
import { el, table } from "./dom";

/** Renders the comparison of `current` against `base` at `threshold` (a fraction) into `s`. */
export function renderComparison(
  s: HTMLElement,
  current: { name: string; run: BenchResultFile },
  base: { name: string; run: BenchResultFile },
  threshold: number,
  thresholdSource: string,
): void {
  const cmp = compareRuns(base.run, current.run, threshold);
  const flagged = (c: RatioChange) => c.regressed && !c.withinNoise;
  const better = (c: RatioChange) => c.improved && !c.withinNoise;
  const regressions = cmp.changes.filter(flagged);
  const pct = `${(threshold * 100).toFixed(0)}%`;
  s.append(
    el(
      "p",
      { id: "compare-summary" },
      `${regressions.length > 0 ? `${regressions.length} ratio(s) fell by more than ${pct}, beyond both runs' min–max ranges: marked in red.` : `No ratio fell by more than ${pct} beyond both runs' min–max ranges (${cmp.changes.length} compared).`} Threshold: ${thresholdSource}. A change within the runs' own min–max ranges is labelled "within noise", never marked.`,
    ),
  );
  const suites = [...new Set(cmp.changes.map((c) => c.suite))];
  for (const suite of suites) {
    const rows = cmp.changes.filter((c) => c.suite === suite).sort((a, b) => a.change - b.change);
    s.append(el("h3", {}, `${suite}: ${rows.length} ratio(s)`));
    const t = table(
      ["ratio", base.name, current.name, "change", ""],
      rows.map((c) => [
        c.label,
        formatNumber(c.base),
        formatNumber(c.current),
        `${c.change >= 0 ? "+" : ""}${(c.change * 100).toFixed(1)}%`,
        flagged(c)
          ? "▼ regressed"
          : better(c)
            ? "▲ improved"
            : (c.regressed || c.improved) && c.withinNoise
              ? "within noise"
              : "",
      ]),
      { class: "compare-table", "data-suite": suite },
      new Set([1, 2, 3]),
    );
    t.querySelectorAll("tbody tr").forEach((tr, i) => {
      const c = rows[i]!;
      if (flagged(c)) tr.classList.add("regressed");
      else if (better(c)) tr.classList.add("improved");
    });
    s.append(t);
  }
  const missing = missingBySuite(cmp);
  if (missing.length > 0) {
    s.append(el("h3", {}, "Not compared"));
    s.append(
      el(
        "ul",
        { id: "compare-missing", class: "muted" },
        ...missing.map((m) => el("li", {}, `${m.suite}: ${m.count} ratio(s) of ${base.name} (${m.why})`)),
      ),
    );
  }
  if (cmp.added.length > 0)
    s.append(el("p", { class: "muted" }, `${cmp.added.length} ratio(s) only in ${current.name}.`));
  const sorted = [...cmp.changes].sort((a, b) => a.change - b.change);
  if (sorted.length === 0) return;
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: sorted.map((c) => `${flagged(c) ? "▼ " : ""}${c.suite}: ${c.label}`),
      datasets: [
        { label: base.name, data: sorted.map((c) => c.base), base: 1, backgroundColor: "#999999" } as never,
        {
          label: current.name,
          data: sorted.map((c) => c.current),
          base: 1,
          backgroundColor: sorted.map((c) => (flagged(c) ? "#D55E00" : "#0072B2")),
        } as never,
      ],
    },
    options: chartOptions<"bar">(
      "Speed ratios of the two runs (regressions in red-orange, marked ▼)",
      {
        x: ratioAxis(
          sorted.flatMap((c) => [c.base, c.current]),
          "speed ratio (×, log scale; bars start at 1)",
        ),
      },
      { horizontal: true },
    ),
    plugins: [unitLine],
  };
  chartCard(s, "compare-chart", config as ChartConfiguration, { height: 90 + 30 * sorted.length });
}
