/**
 * Section 2: integers. A value and a width give the two's complement bits (clickable), the range,
 * and what wrap and saturate do to a value that does not fit. All bit arithmetic is
 * @quantkit/numeric's.
 */
import { fromTwosComplement, intRange, saturate, toBits, wrap } from "@quantkit/numeric";
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { formatInt } from "../lib/format";
import { parseInteger } from "../lib/parseInteger";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, NumberField, Segmented } from "../ui/controls";
import { Columns, DeckQuote, Figure, Formula, Panel, SectionFrame, Stat, Stats } from "../ui/layout";
import { palette } from "../ui/palette";

const WIDTHS = [3, 4, 8, 16, 32] as const;

/** One row of clickable bits, most significant first, with each bit's place value under it. */
function BitRow(props: {
  pattern: string;
  signed: boolean;
  onToggle: (bitIndex: number) => void;
  idPrefix: string;
}): JSX.Element {
  const n = props.pattern.length;
  return h(
    "div",
    { class: "bits", "data-testid": `${props.idPrefix}-bits`, "aria-label": `bit pattern ${props.pattern}` },
    [...props.pattern].map((c, i) => {
      const bitIndex = n - 1 - i; // weight 2^bitIndex
      const weight = props.signed && bitIndex === n - 1 ? `-2^${bitIndex}` : `2^${bitIndex}`;
      return h(
        "button",
        {
          type: "button",
          class: props.signed && i === 0 ? "bit sign" : "bit int",
          title: `bit ${bitIndex}, weight ${weight}: click to flip`,
          "data-testid": `${props.idPrefix}-bit-${bitIndex}`,
          onClick: () => props.onToggle(bitIndex),
        },
        c,
      );
    }),
  );
}

function placeValueFormula(pattern: string, signed: boolean): string {
  const n = pattern.length;
  if (n > 8) return "";
  const terms: string[] = [];
  let sum = 0;
  [...pattern].forEach((c, i) => {
    const k = n - 1 - i;
    const w = signed && k === n - 1 ? -(2 ** k) : 2 ** k;
    terms.push(`${c}×(${w})`);
    if (c === "1") sum += w;
  });
  return `${terms.join(" + ")} = ${sum}`;
}

export default function Integers(props: { info: SectionInfo }): JSX.Element {
  const [text, setText] = useState("-3");
  const [bits, setBits] = useState<number>(8);
  const [signed, setSigned] = useState(true);

  const parsed = parseInteger(text);
  const range = intRange(bits, signed);
  const value = parsed.ok ? parsed.value : 0;
  const fits = value >= range.min && value <= range.max;
  const wrapped = wrap(value, bits, signed);
  const saturated = saturate(value, bits, signed);
  const stored = fits ? value : wrapped;
  const pattern = toBits(stored, bits);

  const toggle = (bitIndex: number) => {
    const i = bits - 1 - bitIndex;
    const flipped = pattern.slice(0, i) + (pattern[i] === "1" ? "0" : "1") + pattern.slice(i + 1);
    const next = Number.parseInt(flipped, 2); // exact: at most 32 bits
    setText(String(signed ? fromTwosComplement(next, bits) : next));
  };

  const chart = useMemo<ChartConfiguration>(() => {
    // One period of 2^n on each side of the range, sampled at about 240 points.
    const span = 2 ** bits;
    const lo = range.min - span;
    const hi = range.max + span;
    const step = Math.max(1, Math.floor((hi - lo) / 240));
    const xs: number[] = [];
    for (let x = lo; x <= hi; x += step) xs.push(x);
    const wrapPts = xs.map((x) => ({ x, y: wrap(x, bits, signed) }));
    const satPts = xs.map((x) => ({ x, y: saturate(x, bits, signed) }));
    return {
      type: "line",
      data: {
        datasets: [
          {
            label: "wrap (mod 2^n)",
            data: wrapPts,
            borderColor: palette.accent2,
            pointRadius: 0,
            borderWidth: 2,
            stepped: true,
          },
          {
            label: "saturate (clamp)",
            data: satPts,
            borderColor: palette.accent,
            pointRadius: 0,
            borderWidth: 2.5,
          },
          {
            label: "your value",
            data:
              parsed.ok && value >= lo && value <= hi
                ? [
                    { x: value, y: wrapped },
                    { x: value, y: saturated },
                  ]
                : [],
            borderColor: palette.ink,
            backgroundColor: palette.ink,
            showLine: false,
            pointRadius: 4,
          },
        ],
      },
      options: {
        parsing: false,
        scales: {
          x: { type: "linear", min: lo, max: hi, title: axisTitle("the integer you compute (no unit)") },
          y: { type: "linear", title: axisTitle(`what ${bits} bits store`) },
        },
        plugins: {
          markers: {
            bands: [
              { from: lo, to: range.min, color: palette.clip },
              { from: range.max, to: hi, color: palette.clip },
            ],
          },
        },
      },
    };
  }, [bits, signed, value, parsed.ok, wrapped, saturated, range.min, range.max]);

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Computers use a fixed number of bits to represent any piece of data. A string of n bits can represent 2",
          h("sup", null, "n"),
          " distinct numbers; we usually work in blocks of 8 bits (byte), 16 (short), 32 (int) or 64 (long).",
        ),
        h(
          "p",
          null,
          "In most CPUs, integers use two's complement: the first bit carries the sign (its weight is −2",
          h("sup", null, "n−1"),
          "), and zero has a unique representation. Type a value, change the width, or click a bit to flip it.",
        ),
      ],
    },
    h(
      Panel,
      { title: "A value in n bits" },
      h(
        Controls,
        null,
        h(NumberField, {
          id: "int-value",
          label: "Value (decimal, 0b… or 0x…)",
          value: text,
          invalid: parsed.ok ? undefined : parsed.error,
          onChange: (_v, t) => setText(t),
        }),
        h(Segmented<number>, {
          id: "int-width",
          label: "Width",
          value: bits,
          options: WIDTHS.map((w) => ({ value: w, label: `${w} bits` })),
          onChange: setBits,
        }),
        h(Segmented<string>, {
          id: "int-signed",
          label: "Type",
          value: signed ? "signed" : "unsigned",
          options: [
            { value: "signed", label: "signed (two's complement)" },
            { value: "unsigned", label: "unsigned" },
          ],
          onChange: (v) => setSigned(v === "signed"),
        }),
      ),
      h(BitRow, { pattern, signed, onToggle: toggle, idPrefix: "int" }),
      h(
        Stats,
        null,
        h(Stat, {
          id: "int-pattern",
          label: "Bit pattern",
          value: pattern.length > 16 ? `${pattern.slice(0, 16)}…` : pattern,
        }),
        h(Stat, {
          id: "int-range",
          label: `Range of ${signed ? "int" : "uint"}${bits}`,
          value: `${formatInt(range.min)} … ${formatInt(range.max)}`,
          hint: `${formatInt(2 ** bits)} distinct values`,
        }),
        // Nothing is stored from text that is not an integer: no value, no verdict.
        h(Stat, {
          id: "int-stored",
          label: "Stored value",
          value: parsed.ok ? formatInt(stored) : "—",
          tone: parsed.ok ? (fits ? "good" : "bad") : undefined,
          hint: !parsed.ok ? parsed.error : fits ? "fits" : `${formatInt(value)} does not fit: wrapped`,
        }),
      ),
      bits <= 8 ? h(Formula, { id: "int-formula" }, placeValueFormula(pattern, signed)) : null,
    ),
    h(
      Panel,
      {
        title: "When a value does not fit: wrap or saturate",
        sub: "A fixed-width register cannot grow. Plain integer arithmetic wraps around (keeps the value modulo 2ⁿ); saturating arithmetic clamps to the nearest end of the range, which is what a quantizer's clamp to [quantMin, quantMax] does.",
      },
      h(
        Columns,
        { ratio: "1-2" },
        h(
          Stats,
          null,
          h(Stat, {
            id: "int-wrap",
            label: "wrap",
            value: parsed.ok ? formatInt(wrapped) : "—",
            hint: parsed.ok ? toBits(wrapped, bits).slice(-16) : undefined,
          }),
          h(Stat, {
            id: "int-saturate",
            label: "saturate",
            value: parsed.ok ? formatInt(saturated) : "—",
            hint: parsed.ok ? toBits(saturated, bits).slice(-16) : undefined,
          }),
        ),
        h(
          Figure,
          {
            caption:
              "Every integer near the range, stored both ways; the shaded bands are outside the range.",
          },
          h(ChartView, {
            id: "int-chart",
            label: "wrap and saturate over the integers",
            config: chart,
            height: 240,
          }),
        ),
      ),
    ),
    h(
      Panel,
      { title: "But, but… Python can handle anything!" },
      h(
        DeckQuote,
        null,
        h(
          "p",
          null,
          "Python can represent arbitrarily big numbers with BigNum arithmetic: each number is an array of digits in base 2³⁰. This is a feature of CPython, not of the CPU or the GPU: to compute fast with hardware acceleration we are forced to use numbers in a fixed format.",
        ),
      ),
      h(
        "p",
        { class: "panel-sub" },
        "JavaScript has both: a BigInt is exact and unbounded (and slow); a Float32Array, or a GPU shader, holds integers exactly only up to 2²⁴ = 16 777 216. That is why an int8 matrix product accumulates in int32 (section 7).",
      ),
    ),
  );
}
