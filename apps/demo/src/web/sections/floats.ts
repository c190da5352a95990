/**
 * Section 3: floating-point numbers. A number gives its float32 / float16 / bfloat16 / float8 bit
 * fields (each bit clickable), the deck's formula with the numbers filled in, and the rounding error of
 * every format. Encoding, decoding, fields and explanations are @quantkit/numeric's.
 */
import { bfloat16, type FloatFormat, float8e4m3fn, float8e5m2, float16, float32 } from "@quantkit/numeric";
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { formatF32, formatSig } from "../lib/format";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, NumberField, Segmented } from "../ui/controls";
import { DataTable, DeckQuote, Figure, Formula, Panel, SectionFrame, Stat, Stats } from "../ui/layout";
import { palette } from "../ui/palette";

interface FormatEntry {
  id: string;
  label: string;
  format: FloatFormat;
  note: string;
}

const FORMATS: readonly FormatEntry[] = [
  { id: "float32", label: "float32", format: float32, note: "IEEE 754 single: the deck's format" },
  {
    id: "float16",
    label: "float16",
    format: float16,
    note: "IEEE half: GPUs' 16-bit float, less range and precision",
  },
  {
    id: "bfloat16",
    label: "bfloat16",
    format: bfloat16,
    note: "float32's range in 16 bits, with 7 mantissa bits",
  },
  {
    id: "e4m3fn",
    label: "float8 E4M3",
    format: float8e4m3fn,
    note: "8 bits for inference: more precision, max 448",
  },
  {
    id: "e5m2",
    label: "float8 E5M2",
    format: float8e5m2,
    note: "8 bits for gradients: more range, 2 mantissa bits",
  },
];

/** Formats a decoded value exactly (a float16/8 value is a short binary fraction: String() is exact). */
function exact(v: number): string {
  return Number.isNaN(v) ? "NaN" : String(v);
}

function FieldBits(props: { fmt: FloatFormat; bits: number; onToggle: (bit: number) => void }): JSX.Element {
  const { fmt, bits } = props;
  const total = fmt.totalBits;
  const cells: JSX.Element[] = [];
  for (let k = total - 1; k >= 0; k--) {
    const isSign = k === total - 1;
    const isExp = !isSign && k >= fmt.mantissaBits;
    const cls = isSign ? "sign" : isExp ? "exp" : "man";
    const on = Math.floor(bits / 2 ** k) % 2;
    const role = isSign
      ? "sign"
      : isExp
        ? `exponent bit ${k - fmt.mantissaBits}`
        : `mantissa bit ${k} (weight 2^-${fmt.mantissaBits - k})`;
    cells.push(
      h(
        "button",
        {
          type: "button",
          class: `bit ${cls}`,
          title: `${role}: click to flip`,
          "data-testid": `f-bit-${k}`,
          onClick: () => props.onToggle(k),
        },
        String(on),
      ),
    );
    if (k === total - 1 || k === fmt.mantissaBits) cells.push(h("span", { class: "bit-gap" }));
  }
  return h("div", { class: "bits", "data-testid": "f-bits" }, cells);
}

/**
 * What makes a NaN or an infinity in `fmt`. IEEE formats: exponent all ones (mantissa zero for
 * infinity, non-zero for NaN). E4M3FN has no infinity and one NaN per sign: exponent and mantissa all
 * ones (S.1111.111); an all-ones exponent with another mantissa is an ordinary number (up to 448).
 */
export function specialText(fmt: FloatFormat, kind: "nan" | "infinity", sign: number): string {
  if (!fmt.hasInfinity)
    return `exponent and mantissa all ones: NaN (not a number). ${fmt.name} has no infinity; an all-ones exponent with any other mantissa is a number, up to ${formatSig(fmt.maxNormal, 5)}`;
  return kind === "nan"
    ? "exponent all ones, mantissa not zero: NaN (not a number)"
    : `exponent all ones, mantissa zero: ${sign ? "−" : "+"}Infinity`;
}

function formulaFor(fmt: FloatFormat, value: number): JSX.Element {
  const f = fmt.fields(value);
  if (f.kind === "nan" || f.kind === "infinity")
    return h(Formula, { id: "f-formula" }, specialText(fmt, f.kind, f.sign));
  const m = fmt.mantissaBits;
  const ones: string[] = [];
  for (let i = 1; i <= m; i++) if (Math.floor(f.mantissaBits / 2 ** (m - i)) % 2 === 1) ones.push(`2^-${i}`);
  const lead = f.kind === "normal" ? "1" : "0";
  const sumText = ones.length
    ? `${lead} + ${ones.slice(0, 6).join(" + ")}${ones.length > 6 ? " + …" : ""}`
    : lead;
  const eText = f.kind === "normal" ? `${f.biasedExponent} − ${fmt.bias}` : `1 − ${fmt.bias}`;
  const signed = f.sign ? "−" : "+";
  return h(
    Formula,
    { id: "f-formula" },
    "value = (−1)",
    h("sup", { class: "hl-sign" }, String(f.sign)),
    " × 2",
    h("sup", { class: "hl-exp" }, `(${eText})`),
    " × (",
    h("span", { class: "hl-man" }, `${lead} + Σ bᵢ 2⁻ⁱ`),
    ")\n",
    `      = (${signed}1) × `,
    h("span", { class: "hl-exp" }, `2^${f.exponent}`),
    " × ",
    h("span", { class: "hl-man" }, exact(f.mantissa)),
    ` = ${signed}${exact(Math.abs(f.value))}\n`,
    h(
      "span",
      { class: "dim" },
      `mantissa = ${sumText} = ${exact(f.mantissa)}${f.kind === "subnormal" ? "   (subnormal: no implicit 1)" : ""}`,
    ),
  );
}

export default function Floats(props: { info: SectionInfo }): JSX.Element {
  const [text, setText] = useState("0.15625");
  const [fid, setFid] = useState("float32");
  const entry = FORMATS.find((f) => f.id === fid)!;
  const fmt = entry.format;
  const x = Number(text.trim());
  const valid = text.trim() !== "" && !Number.isNaN(x);
  const input = valid ? x : 0;
  const ex = fmt.explain(input);

  const toggle = (k: number) => {
    const next = (ex.bits ^ (k === 31 ? 0x80000000 : 1 << k)) >>> 0;
    setText(exact(fmt.decode(next)));
  };

  const all = useMemo(
    () => FORMATS.map((f) => ({ entry: f, ex: f.format.explain(input), ulp: f.format.ulp(input) })),
    [input],
  );

  const overflowed = all.filter((a) => a.ex.outcome === "overflow").map((a) => a.entry.label);
  const chart = useMemo<ChartConfiguration>(() => {
    const rel = (v: number) => (input === 0 ? v : v / Math.abs(input));
    return {
      type: "bar",
      data: {
        labels: all.map((a) => a.entry.label),
        datasets: [
          {
            label: "rounding error of this number",
            data: all.map((a) => {
              const e = Math.abs(a.ex.error);
              return Number.isFinite(e) && e > 0 ? rel(e) : null;
            }),
            backgroundColor: palette.accent2,
          },
          {
            label: "worst case: half the spacing (ulp / 2)",
            // A format that overflowed stores no nearby value at all: no precision to draw.
            data: all.map((a) =>
              a.ex.outcome !== "overflow" && Number.isFinite(a.ulp) && a.ulp > 0 ? rel(a.ulp / 2) : null,
            ),
            backgroundColor: palette.accentSoft,
            borderColor: palette.accent,
            borderWidth: 1,
          },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { position: "bottom" } },
        scales: {
          y: { title: axisTitle("format") },
          x: {
            type: "logarithmic",
            title: axisTitle(
              input === 0 ? "absolute error (log scale)" : "relative error |x̂ − x| / |x| (log scale)",
            ),
            ticks: {
              callback: (v) => {
                const n = Number(v);
                const e = Math.log10(n);
                return Math.abs(e - Math.round(e)) < 1e-9 ? `1e${Math.round(e)}` : "";
              },
            },
          },
        },
      },
    };
  }, [all, input]);

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Decimal numbers are numbers that also use negative powers of the base: 85.612 = 8×10¹ + 5×10⁰ + 6×10⁻¹ + 1×10⁻² + 2×10⁻³. Binary floating point does the same in base 2.",
        ),
        h(
          "p",
          null,
          "The IEEE-754 standard stores a float32 in 32 bits: 1 sign bit, 8 exponent bits and 23 mantissa bits. Value = (−1)",
          h("sup", null, "sign"),
          " × 2",
          h("sup", null, "(E − 127)"),
          " × (1 + Σ b",
          h("sub", null, "23−i"),
          " 2",
          h("sup", null, "−i"),
          "). Modern GPUs also support 16-bit floats, with less precision, and the newest 8-bit ones.",
        ),
      ],
    },
    h(
      Panel,
      { title: "A number, bit by bit", sub: "Type a number, pick a format, click any bit to flip it." },
      h(
        Controls,
        null,
        h(NumberField, {
          id: "f-value",
          label: "Number",
          value: text,
          invalid: valid ? undefined : "type a number, e.g. 0.15625 or -1e-3",
          onChange: (_v, t) => setText(t),
        }),
        h(Segmented<string>, {
          id: "f-format",
          label: "Format",
          value: fid,
          options: FORMATS.map((f) => ({ value: f.id, label: f.label, title: f.note })),
          onChange: setFid,
        }),
      ),
      h(
        "div",
        { class: "legend-inline" },
        h("span", null, h("i", { style: { background: "var(--sign)" } }), "sign (1 bit)"),
        h(
          "span",
          null,
          h("i", { style: { background: "var(--exp)" } }),
          `exponent (${fmt.exponentBits} bits, bias ${fmt.bias})`,
        ),
        h(
          "span",
          null,
          h("i", { style: { background: "var(--man)" } }),
          `mantissa (${fmt.mantissaBits} bits)`,
        ),
      ),
      h(FieldBits, { fmt, bits: ex.bits, onToggle: toggle }),
      h(
        Stats,
        null,
        h(Stat, { id: "f-sign", label: "sign", value: String(ex.sign) }),
        h(Stat, {
          id: "f-exponent",
          label: "exponent field E",
          value: String(ex.biasedExponent),
          hint: `2^${ex.exponent}`,
        }),
        h(Stat, {
          id: "f-mantissa",
          label: "mantissa",
          value: exact(ex.mantissa),
          hint: `field ${ex.mantissaBits}`,
        }),
        h(Stat, { id: "f-hex", label: "bits (hex)", value: ex.hex }),
        h(Stat, {
          id: "f-stored",
          label: `stored in ${entry.label}`,
          value: exact(ex.value),
          tone: ex.outcome === "exact" ? "good" : "bad",
          hint: ex.outcome === "exact" ? "exact" : `${ex.outcome}: error ${formatSig(ex.error, 3)}`,
        }),
      ),
      formulaFor(fmt, input),
    ),
    h(
      Panel,
      {
        title: "The same number in every format",
        sub: "Fewer mantissa bits, coarser spacing between neighbouring values: the rounding error grows. Fewer exponent bits, smaller range: large numbers overflow.",
      },
      h(DataTable, {
        id: "f-table",
        head: ["format", "bits: sign exponent mantissa", "stored value", "error", "outcome"],
        numeric: [false, false, true, true, false],
        rows: all.map((a) => [
          a.entry.label,
          h("span", { class: "mono", style: { fontSize: "12px" } }, a.ex.bitString),
          exact(a.ex.value).length > 16 ? formatSig(a.ex.value, 12) : exact(a.ex.value),
          a.ex.error === 0 ? "0" : formatSig(a.ex.error, 3),
          a.ex.outcome,
        ]),
      }),
      h(
        Figure,
        {
          caption: [
            "Orange: how far this number moved when stored. Blue: the largest move any number of this size can suffer (half the gap between neighbouring values). An orange bar is missing where the number is exact.",
            overflowed.length
              ? h(
                  "span",
                  { "data-testid": "f-overflow-note" },
                  ` No bars for ${overflowed.join(", ")}: ${input} is beyond ${overflowed.length > 1 ? "their" : "its"} largest value (overflow).`,
                )
              : null,
          ],
        },
        h(ChartView, { id: "f-chart", label: "rounding error of each format", config: chart, height: 230 }),
      ),
    ),
    h(
      Panel,
      { title: "Range and precision of each format" },
      h(DataTable, {
        id: "f-formats",
        head: [
          "format",
          "exponent bits",
          "mantissa bits",
          "bias",
          "largest",
          "smallest normal",
          "epsilon (spacing at 1)",
        ],
        numeric: [false, true, true, true, true, true, true],
        rows: FORMATS.map((f) => [
          h("span", { title: f.note }, f.label),
          String(f.format.exponentBits),
          String(f.format.mantissaBits),
          String(f.format.bias),
          formatSig(f.format.maxNormal, 5),
          formatSig(f.format.minNormal, 4),
          formatSig(f.format.epsilon, 4),
        ]),
      }),
      h(
        DeckQuote,
        null,
        h(
          "p",
          null,
          "Value = (−1)",
          h("sup", null, "sign"),
          " × 2",
          h("sup", null, "(E−127)"),
          " × (1 + Σ b",
          h("sub", null, "23−i"),
          "2",
          h("sup", null, "−i"),
          ") = (+1) × 2",
          h("sup", null, "−3"),
          " × 1.25 = +0.15625",
        ),
      ),
      h(
        "p",
        { class: "panel-sub" },
        `Exact float32 of the number you typed: ${formatF32(Math.fround(input))}.`,
      ),
    ),
  );
}
