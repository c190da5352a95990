/**
 * The run at a glance, for the top of the dashboard: how many suites ran, failed or were skipped and
 * why, and which "ok" suites report a failed check in their notes (a note starting "FAIL"). Plain data.
 */
import type { BenchResultFile, SuiteResult } from "./schema";

/** One suite's line of the summary. */
export interface SuiteSummary {
  id: string;
  title: string;
  status: SuiteResult["status"];
  /** The first line of the suite's reason (failed or skipped), else null. */
  reason: string | null;
  /** The suite's notes that report a failed check ("FAIL …"), whatever its status. */
  failedChecks: string[];
}

/** What {@link runSummary} finds. */
export interface RunSummary {
  total: number;
  ok: number;
  failed: number;
  skipped: number;
  /** Suites that need a reader's attention first: failed, then skipped, then ok with a failed check. */
  attention: SuiteSummary[];
  suites: SuiteSummary[];
  /** One sentence: "6 suites: 4 ok, 2 failed (kernels-gpu, e2e), 0 skipped." */
  sentence: string;
}

const ORDER: Record<SuiteResult["status"], number> = { failed: 0, skipped: 1, ok: 2 };

/**
 * Counts and lists the suites of a run.
 *
 * @example
 * runSummary(run).sentence // "6 suites: 4 ok, 2 failed (kernels-gpu, e2e), 0 skipped."
 */
export function runSummary(run: BenchResultFile): RunSummary {
  const suites = run.suites.map(
    (s): SuiteSummary => ({
      id: s.id,
      title: s.title,
      status: s.status,
      reason: s.reason === null ? null : (s.reason.split("\n")[0] ?? null),
      failedChecks: s.notes.filter((n) => /^FAIL\b/.test(n.trim())),
    }),
  );
  const count = (st: SuiteResult["status"]) => suites.filter((s) => s.status === st);
  const failed = count("failed");
  const skipped = count("skipped");
  const ok = count("ok");
  const attention = suites
    .filter((s) => s.status !== "ok" || s.failedChecks.length > 0)
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const names = (list: SuiteSummary[]) => (list.length ? ` (${list.map((s) => s.id).join(", ")})` : "");
  const checks = ok.filter((s) => s.failedChecks.length > 0);
  const sentence =
    `${suites.length} suite${suites.length === 1 ? "" : "s"}: ${ok.length} ok, ${failed.length} failed${names(failed)}, ${skipped.length} skipped${names(skipped)}.` +
    (checks.length
      ? ` ${checks.length} ok suite${checks.length === 1 ? " reports" : "s report"} a failed check${names(checks)}.`
      : "");
  return {
    total: suites.length,
    ok: ok.length,
    failed: failed.length,
    skipped: skipped.length,
    attention,
    suites,
    sentence,
  };
}
