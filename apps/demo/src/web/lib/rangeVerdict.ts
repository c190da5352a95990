/**
 * Section 5's verdict, computed from the table beside it (never written in advance): which strategies
 * beat min-max on the ordinary values at the current settings, which do not, and which keep or clip
 * the outliers.
 */
import type { ObserverComparisonRow } from "@quantkit/calibrators";
import { formatSig } from "./format";
import { RANGE_METHODS } from "./rangeExperiment";

function _label(method: string): string {
  return RANGE_METHODS.find((m) => m.method === method)?.label ?? method;
}

function _list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * One or two sentences about `rows` (a `compareObservers` table with a min-max row). A strategy keeps
 * an outlier when the outliers' MSE is within a quarter of its step squared (rounding, not clipping).
 *
 * @example
 * rangeVerdict(rows, true)
 * // "Here, on the ordinary values, Percentile (0.0508) … beat min-max (1.41); … Min-max and MSE keep the outlier; … clip it."
 */
export function rangeVerdict(rows: readonly ObserverComparisonRow[], hasOutlier: boolean): string {
  const minmax = rows.find((r) => r.method === "minmax");
  if (!minmax) return "";
  const others = rows.filter((r) => r.method !== "minmax");
  const fmt = (r: ObserverComparisonRow) => `${_label(r.method)} (${formatSig(r.mseInliers, 3)})`;
  // Compared as shown (3 significant digits): a strategy the table shows at min-max's figure ties it.
  const shown = (v: number) => Number(formatSig(v, 3));
  const base = shown(minmax.mseInliers);
  const better = others.filter((r) => shown(r.mseInliers) < base);
  const tied = others.filter((r) => shown(r.mseInliers) === base);
  const worse = others.filter((r) => shown(r.mseInliers) > base);
  const measure = hasOutlier ? "MSE on the ordinary values" : "MSE";
  const verb = (n: number, one: string, many: string) => (n > 1 ? many : one);
  const parts: string[] = [];
  if (better.length === others.length) parts.push("every other strategy beats min-max");
  else if (better.length > 0)
    parts.push(`${_list(better.map(fmt))} ${verb(better.length, "beats", "beat")} min-max`);
  else parts.push("no strategy beats min-max");
  if (tied.length > 0) parts.push(`${_list(tied.map(fmt))} ${verb(tied.length, "ties", "tie")} with it`);
  if (worse.length > 0) parts.push(`${_list(worse.map(fmt))} ${verb(worse.length, "does", "do")} worse`);
  let text = `Here (${measure}: min-max ${formatSig(minmax.mseInliers, 3)}) ${parts.join("; ")}.`;
  if (hasOutlier) {
    const keeps = rows.filter((r) => r.mseOutliers <= (r.scale * r.scale) / 4 + 1e-12);
    const clips = rows.filter((r) => !keeps.includes(r));
    const parts: string[] = [];
    if (keeps.length)
      parts.push(
        `${_list(keeps.map((r) => _label(r.method)))} ${keeps.length > 1 ? "keep" : "keeps"} the outlier`,
      );
    if (clips.length)
      parts.push(`${_list(clips.map((r) => _label(r.method)))} ${clips.length > 1 ? "clip" : "clips"} it`);
    text += ` ${parts.join("; ")}.`;
  }
  return text;
}
