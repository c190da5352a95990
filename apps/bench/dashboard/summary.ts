/**
 * The run summary at the top of the dashboard (suites ok, failed and skipped, with reasons; ok suites
 * whose notes report a failed check), and the placeholders a section shows where a suite that did not
 * finish would have drawn its charts.
 */
import { runSummary } from "../src/runSummary";
import type { BenchResultFile } from "../src/schema";
import { el } from "./dom";

/** The sections each suite draws into (a failed or skipped suite gets a placeholder there). */
export const SUITE_SECTIONS: Record<string, readonly string[]> = {
  numeric: ["throughput", "ratios"],
  quantizers: ["throughput", "ratios"],
  calibrators: ["throughput", "calibrators"],
  kernels: ["headline-chart", "throughput", "ratios", "exactness"],
  "kernels-gpu": ["headline-chart", "throughput", "gpu-stages", "ratios"],
  e2e: ["ratios", "accuracy"],
};

/** Renders the summary into `s` (a section element). */
export function renderRunSummary(s: HTMLElement, run: BenchResultFile): void {
  const sum = runSummary(run);
  s.classList.add(
    sum.failed > 0 ? "summary-failed" : sum.attention.length > 0 ? "summary-warn" : "summary-ok",
  );
  s.append(el("p", { id: "run-summary-sentence", class: "summary-sentence" }, sum.sentence));
  if (sum.attention.length === 0) return;
  const list = el("ul", { id: "run-summary-list" });
  for (const x of sum.attention) {
    const what =
      x.status === "ok"
        ? `ok, but its notes report a failed check: ${x.failedChecks.join(" · ")}`
        : `${x.status}${x.reason ? `: ${x.reason}` : ""}`;
    list.append(
      el(
        "li",
        { class: `status-${x.status === "ok" ? "check" : x.status}`, "data-suite": x.id },
        el("strong", {}, x.id),
        ` (${x.title}) ${what}`,
      ),
    );
  }
  s.append(list);
}

/**
 * A placeholder card for every suite of `run` that did not finish and would draw in `sectionId`:
 * "kernels-gpu failed: …; its charts would be here."
 */
export function placeholders(sectionId: string, run: BenchResultFile): HTMLElement[] {
  return run.suites
    .filter((s) => s.status !== "ok" && (SUITE_SECTIONS[s.id] ?? []).includes(sectionId))
    .map((s) =>
      el(
        "div",
        { class: `card placeholder status-${s.status}`, "data-placeholder": s.id },
        el("strong", {}, `${s.id} ${s.status}`),
        `: ${(s.reason ?? "no reason recorded").split("\n")[0]}. Its charts would be here.`,
      ),
    );
}
