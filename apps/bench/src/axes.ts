/**
 * The dashboard's axes, decided from the data and described from the chart: plain functions, no DOM.
 */

/**
 * The y axis a set of values gets: logarithmic when they span more than a factor of 20 (where a linear
 * axis would flatten the small ones), else linear from 0 (never zoomed into the noise between two close
 * values).
 *
 * @example
 * valueAxis([420, 430]) // { type: "linear", beginAtZero: true }
 */
export function valueAxis(values: readonly number[]): {
  type: "linear" | "logarithmic";
  beginAtZero: boolean;
} {
  const positive = values.filter((v) => v > 0);
  if (positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 20)
    return { type: "logarithmic", beginAtZero: false };
  return { type: "linear", beginAtZero: true };
}

/**
 * What a chart's axes are, in words, from the chart's own scale types: the caption never claims a log
 * scale the chart does not have.
 *
 * @example
 * axesCaption({ x: "logarithmic", y: "linear" }, { x: "size", y: "throughput" }) // "size on a log scale; throughput on a linear scale from 0."
 */
export function axesCaption(types: { x: string; y: string }, names: { x: string; y: string }): string {
  const one = (type: string, name: string) =>
    type === "logarithmic" ? `${name} on a log scale` : `${name} on a linear scale from 0`;
  return `${one(types.x, names.x)}; ${one(types.y, names.y)}.`;
}
