/** An SQNR in decibels as section 11 shows it: "exact" when the outputs are equal. */
import { formatSig } from "../../lib/format";

export const formatDb = (x: number) =>
  Number.isFinite(x) ? `${formatSig(x, 3)} dB` : x > 0 ? "exact" : "-∞ dB";
