/** Section 4's formulas for scale and zero point, asymmetric or symmetric, with the numbers filled in. */
import { h, type JSX } from "preact";
import type { Scheme } from "../../lib/deckQuantize";
import { formatF32, formatSig } from "../../lib/format";
import { Formula } from "../../ui/layout";

export function SchemeFormula(props: {
  scheme: Scheme;
  bits: number;
  min: number;
  max: number;
  scale: number;
  zeroPoint: number;
}): JSX.Element {
  const { scheme, bits, min, max, scale, zeroPoint } = props;
  const s = formatF32(scale);
  if (scheme === "asymmetric") {
    const levels = 2 ** bits - 1;
    const ratio = Math.fround(min / scale);
    return h(
      Formula,
      { id: "q-formula" },
      `β = min(x) = ${formatF32(min)}    α = max(x) = ${formatF32(max)}\n`,
      `scale = (α − β) / (2^${bits} − 1) = (${formatF32(max)} − (${formatF32(min)})) / ${levels} = ${s}\n`,
      `zero  = −round(β / scale) = −round(${formatSig(ratio, 6)}) = ${zeroPoint}\n`,
      `q = clamp(round(x / scale) + ${zeroPoint}, 0, ${levels})    x̂ = scale · (q − ${zeroPoint})`,
    );
  }
  const top = 2 ** (bits - 1) - 1;
  const absMax = Math.max(Math.abs(min), Math.abs(max));
  return h(
    Formula,
    { id: "q-formula" },
    `α = max|x| = ${formatF32(absMax)}\n`,
    `scale = α / (2^${bits - 1} − 1) = ${formatF32(absMax)} / ${top} = ${s}    zero = 0\n`,
    `q = clamp(round(x / scale), −${top}, ${top})    x̂ = scale · q`,
  );
}
