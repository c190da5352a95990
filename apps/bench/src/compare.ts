import type { BenchResultFile, Ratio } from "./schema";

/** One ratio found in both runs. */
export interface RatioChange {
  suite: string;
  id: string;
  label: string;
  base: number;
  current: number;
  /** current / base - 1: -0.25 means the ratio fell by 25%. */
  change: number;
  /** Fell by more than the threshold. */
  regressed: boolean;
  /** Rose by more than the threshold. */
  improved: boolean;
  /**
   * The two runs' own min–max ranges of this ratio (over their paired rounds) overlap: the change is
   * within the noise the runs measured, whatever the threshold says.
   */
  withinNoise: boolean;
}

/** What {@link compareRuns} finds. */
export interface Comparison {
  /** The threshold used, as a fraction (0.1 = 10%). */
  threshold: number;
  changes: RatioChange[];
  regressions: RatioChange[];
  /** Ratios of the base absent from the current run ("suite/id"), with why when the suite says. */
  missing: { suite: string; id: string; label: string; why: string | null }[];
  /** Ratios only the current run has. */
  added: { suite: string; id: string; label: string }[];
}

/**
 * Compares every ratio of `current` with the same ratio (same suite id and ratio id) of `base`. A ratio
 * regressed when its median fell by more than `threshold` (a fraction: 0.1 = 10%); every ratio is
 * oriented so that higher is better (see the schema), so a fall is always a loss.
 *
 * @example
 * compareRuns(base, current, 0.1).regressions.map((r) => `${r.suite}/${r.id}`); // ["kernels/gemm/…"]
 */
export function compareRuns(base: BenchResultFile, current: BenchResultFile, threshold: number): Comparison {
  if (!(threshold >= 0 && threshold < 1)) {
    throw new RangeError(`threshold must be a fraction in [0, 1), got ${threshold}`);
  }
  const index = (run: BenchResultFile) => {
    const map = new Map<string, { suite: string; ratio: Ratio }>();
    for (const s of run.suites)
      for (const r of s.ratios) map.set(`${s.id}\u0000${r.id}`, { suite: s.id, ratio: r });
    return map;
  };
  const b = index(base);
  const c = index(current);
  const changes: RatioChange[] = [];
  const missing: Comparison["missing"] = [];
  for (const [key, { suite, ratio }] of b) {
    const now = c.get(key);
    if (!now) {
      const s = current.suites.find((x) => x.id === suite);
      const why = !s ? "suite not run" : s.status !== "ok" ? `suite ${s.status}: ${s.reason ?? ""}` : null;
      missing.push({ suite, id: ratio.id, label: ratio.label, why });
      continue;
    }
    const change = now.ratio.median / ratio.median - 1;
    changes.push({
      withinNoise: now.ratio.min <= ratio.max && ratio.min <= now.ratio.max,
      suite,
      id: ratio.id,
      label: ratio.label,
      base: ratio.median,
      current: now.ratio.median,
      change,
      // A tiny epsilon keeps a fall of exactly the threshold (in decimal) from failing on float rounding.
      regressed: change < -threshold - 1e-12,
      improved: change > threshold + 1e-12,
    });
  }
  const added = [...c.entries()]
    .filter(([key]) => !b.has(key))
    .map(([, { suite, ratio }]) => ({ suite, id: ratio.id, label: ratio.label }));
  return { threshold, changes, regressions: changes.filter((x) => x.regressed), missing, added };
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));

/**
 * The gate's report, one line per regressed ratio first (each names the suite, the ratio id and label,
 * base -> current and the change), then counts of the rest.
 *
 * @example
 * formatComparison(compareRuns(base, current, 0.1)).join("\n");
 */
export function formatComparison(cmp: Comparison): string[] {
  const lines: string[] = [];
  const th = `${(cmp.threshold * 100).toFixed(1)}%`;
  if (cmp.regressions.length > 0) {
    lines.push(`${cmp.regressions.length} ratio(s) fell by more than ${th}:`);
    for (const r of cmp.regressions) {
      lines.push(
        `  REGRESSED ${r.suite}/${r.id} (${r.label}): ${fmt(r.base)} -> ${fmt(r.current)} (${pct(r.change)})`,
      );
    }
  } else {
    lines.push(`no ratio fell by more than ${th} (${cmp.changes.length} compared)`);
  }
  const improved = cmp.changes.filter((x) => x.improved);
  for (const r of improved) {
    lines.push(`  improved  ${r.suite}/${r.id}: ${fmt(r.base)} -> ${fmt(r.current)} (${pct(r.change)})`);
  }
  // Ratios of suites this run did not include are counted per suite, not listed one by one.
  const notRun = new Map<string, number>();
  for (const m of cmp.missing) {
    if (m.why === "suite not run") notRun.set(m.suite, (notRun.get(m.suite) ?? 0) + 1);
    else lines.push(`  missing   ${m.suite}/${m.id}${m.why ? ` (${m.why.split("\n")[0]})` : ""}`);
  }
  for (const [suite, count] of notRun)
    lines.push(`  not run   ${suite}: ${count} ratio(s) of the base not compared`);
  if (cmp.added.length > 0) lines.push(`  ${cmp.added.length} ratio(s) new in this run`);
  return lines;
}

/**
 * The ratios of the base a comparison could not compare, counted per suite with the reason (a failed
 * or skipped suite, a suite not run), for a summary line per suite instead of a list of ids.
 *
 * @example
 * missingBySuite(compareRuns(base, current, 0.1)) // [{ suite: "kernels-gpu", count: 10, why: "suite failed: …" }]
 */
export function missingBySuite(cmp: Comparison): { suite: string; count: number; why: string }[] {
  const out = new Map<string, { suite: string; count: number; why: string }>();
  for (const m of cmp.missing) {
    const why = m.why?.split("\n")[0] ?? "the ratio is not in the current run";
    const key = `${m.suite}\u0000${why}`;
    const e = out.get(key) ?? { suite: m.suite, count: 0, why };
    e.count++;
    out.set(key, e);
  }
  return [...out.values()];
}

/**
 * A regression threshold taken from the noise the two runs measured: for every ratio in both, the wider
 * of its two relative min–max spreads over the paired rounds ((max − min) / median); the median of those,
 * rounded up to a whole percent, at least 5%. Two runs on a quiet machine get a tight threshold, runs on
 * a busy one a wide one (the README measured 20–30% from run to run on 2 busy cores).
 *
 * @example
 * noiseThreshold(base, current) // 0.2 when the ratios' rounds spread by ±10% around their medians
 */
export function noiseThreshold(base: BenchResultFile, current: BenchResultFile): number {
  const spread = (r: Ratio) => (r.median > 0 ? (r.max - r.min) / r.median : 0);
  const b = new Map<string, Ratio>();
  for (const s of base.suites) for (const r of s.ratios) b.set(`${s.id}\u0000${r.id}`, r);
  const spreads: number[] = [];
  for (const s of current.suites)
    for (const r of s.ratios) {
      const old = b.get(`${s.id}\u0000${r.id}`);
      if (old) spreads.push(Math.max(spread(old), spread(r)));
    }
  if (spreads.length === 0) return 0.1;
  spreads.sort((x, y) => x - y);
  const mid = spreads.length >> 1;
  const median = spreads.length % 2 ? spreads[mid]! : (spreads[mid - 1]! + spreads[mid]!) / 2;
  return Math.min(0.95, Math.max(0.05, Math.ceil(median * 100 - 1e-9) / 100));
}
