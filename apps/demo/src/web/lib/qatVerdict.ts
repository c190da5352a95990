/**
 * Section 9's caption for the PTQ-vs-QAT sweep, computed from the sweep's own numbers. QAT fine-tuning
 * trains for extra epochs, so it is compared with float32 trained for the same extra epochs (the fair
 * baseline), and with PTQ; the caption states who wins at each width, never in advance.
 */
import { formatPercent } from "./format";

export interface SweepNumbers {
  /** The float model the sweep started from. */
  fp32: number;
  /** The same float model after QAT's extra training, without fake quantization. */
  fp32SameTraining: number;
  rows: readonly { bits: number; ptq: number; qat: number }[];
}

function _points(d: number): string {
  const p = Math.abs(d * 100);
  const text = p < 0.05 ? "0.0" : p.toFixed(1);
  return `${d < 0 && p >= 0.05 ? "−" : d > 0 && p >= 0.05 ? "+" : "±"}${text}`;
}

function _bitsList(rows: readonly { bits: number }[]): string {
  const b = rows.map((r) => String(r.bits));
  return b.length <= 1 ? b.join("") : `${b.slice(0, -1).join(", ")} and ${b[b.length - 1]}`;
}

/**
 * The caption: each width's QAT and PTQ against the fair baseline, then where QAT beats PTQ.
 *
 * @example
 * sweepVerdict({ fp32: 0.842, fp32SameTraining: 0.861, rows: [{ bits: 8, ptq: 0.84, qat: 0.86 }] })
 * // "Against float32 trained the same extra epochs (86.1 %; the start: 84.2 %): 8 bits: QAT −0.1, PTQ −2.1 points. QAT beats PTQ at 8 bits."
 */
export function sweepVerdict(s: SweepNumbers): string {
  const base = s.fp32SameTraining;
  const per = s.rows
    .map((r) => `${r.bits} bits: QAT ${_points(r.qat - base)}, PTQ ${_points(r.ptq - base)} points`)
    .join("; ");
  const wins = s.rows.filter((r) => r.qat > r.ptq);
  const losses = s.rows.filter((r) => r.qat <= r.ptq);
  let verdict: string;
  if (wins.length === 0) verdict = "QAT does not beat PTQ at any width here.";
  else if (losses.length === 0) verdict = `QAT beats PTQ at ${_bitsList(wins)} bits.`;
  else verdict = `QAT beats PTQ at ${_bitsList(wins)} bits, not at ${_bitsList(losses)}.`;
  const aboveBase = s.rows.filter((r) => r.qat > base);
  const extra =
    aboveBase.length > 0
      ? ` QAT's accuracy above the float start (${formatPercent(s.fp32)}) comes from its extra training: compare it with the baseline, not with the start.`
      : "";
  return `Against float32 trained the same extra epochs (${formatPercent(base)}; the start: ${formatPercent(s.fp32)}): ${per}. ${verdict}${extra}`;
}
