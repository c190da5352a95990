/** Section 1: why quantize. Parameters x bits, the deck's LLaMA 2 example and this project's MLP. */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { byteUnit, formatBytes, formatInt, formatSig } from "../lib/format";
import { MODEL_PRESETS, parameterBytes, WIDTHS } from "../lib/modelSize";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, NumberField, Segmented, Select } from "../ui/controls";
import { DeckQuote, Figure, Formula, Panel, SectionFrame, Stat, Stats } from "../ui/layout";
import { palette } from "../ui/palette";

const CUSTOM = "custom";

export default function Why(props: { info: SectionInfo }): JSX.Element {
  const [preset, setPreset] = useState<string>("llama2-7b");
  const [customText, setCustomText] = useState("1.3e9");
  const [bits, setBits] = useState(32);

  const customValue = Number(customText);
  const customInvalid =
    preset === CUSTOM && !(Number.isFinite(customValue) && customValue >= 1 && customValue <= 1e13)
      ? "a count between 1 and 10^13 (e.g. 1.3e9)"
      : undefined;
  const model = MODEL_PRESETS.find((m) => m.id === preset);
  const parameters = preset === CUSTOM ? (customInvalid ? 0 : Math.round(customValue)) : model!.parameters;
  const bytes = parameterBytes(parameters, bits);
  const fp32 = parameterBytes(parameters, 32);

  const chart = useMemo<ChartConfiguration>(() => {
    const { unit, divisor } = byteUnit(fp32);
    return {
      type: "bar",
      data: {
        labels: WIDTHS.map((w) => [`${w.bits} bits`, w.label]),
        datasets: [
          {
            label: "size of the parameters",
            data: WIDTHS.map((w) => parameterBytes(parameters, w.bits) / divisor),
            backgroundColor: WIDTHS.map((w) => (w.bits === bits ? palette.accent : palette.accentSoft)),
            borderColor: palette.accent,
            borderWidth: 1,
            borderRadius: 4,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => `${formatSig(c.parsed.y ?? 0, 3)} ${unit}` } },
        },
        scales: {
          x: { title: axisTitle("bits per parameter (format)") },
          y: { beginAtZero: true, title: axisTitle("size", unit) },
        },
      },
    };
  }, [parameters, bits, fp32]);

  const deckExample = preset === "llama2-7b" && bits === 32;

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Most modern deep neural networks are made up of billions of parameters. The smallest LLaMA 2 has 7 billion; if every parameter is 32 bits, storing them takes 28 GB. To run the model, all of it has to be loaded in memory: big models do not fit a standard PC or a phone.",
        ),
        h(
          "p",
          null,
          "Quantization reduces the number of bits that represent each parameter, usually by turning floating-point numbers into integers. It is not just rounding: the next sections show how it works.",
        ),
      ],
    },
    h(
      Panel,
      {
        title: "Size calculator",
        sub: "Pick a model and a bit width: the size is parameters × bits ÷ 8 bytes.",
      },
      h(
        Controls,
        null,
        h(Select<string>, {
          id: "why-model",
          label: "Model",
          value: preset,
          options: [
            ...MODEL_PRESETS.map((m) => ({ value: m.id, label: m.label, title: m.note })),
            { value: CUSTOM, label: "Custom…" },
          ],
          onChange: setPreset,
        }),
        preset === CUSTOM
          ? h(NumberField, {
              id: "why-params",
              label: "Parameters",
              value: customText,
              invalid: customInvalid,
              onChange: (_v, text) => setCustomText(text),
            })
          : null,
        h(Segmented<number>, {
          id: "why-bits",
          label: "Bits per parameter",
          value: bits,
          options: WIDTHS.map((w) => ({ value: w.bits, label: String(w.bits), title: w.label })),
          onChange: setBits,
        }),
      ),
      h(
        Stats,
        null,
        h(Stat, { id: "why-params-count", label: "Parameters", value: formatInt(parameters) }),
        h(Stat, { id: "why-size", label: `Size at ${bits} bits`, value: formatBytes(bytes), tone: "accent" }),
        h(Stat, {
          id: "why-ratio",
          label: "vs 32 bits",
          value: `${formatSig(32 / bits, 2)}×`,
          unit: "smaller",
          hint: bits === 32 ? "the float32 baseline" : `saves ${formatBytes(fp32 - bytes)}`,
        }),
      ),
      h(
        Formula,
        { id: "why-formula" },
        deckExample
          ? "7 × 10⁹ parameters × 32 bits ÷ (8 bits/byte × 10⁹ bytes/GB) = 28 GB"
          : `${formatInt(parameters)} parameters × ${bits} bits ÷ 8 bits/byte = ${formatInt(bytes)} bytes ≈ ${formatBytes(bytes)}`,
      ),
      h(
        Figure,
        {
          caption: [
            model && preset !== CUSTOM ? `${model.label}: ${model.note}. ` : "",
            "The same parameters stored at each width (1 kB = 1000 bytes, 1 GB = 10⁹ bytes).",
          ],
        },
        h(ChartView, { id: "why-chart", label: "Model size at each bit width", config: chart, height: 230 }),
      ),
    ),
    h(
      Panel,
      { title: "Why integers are faster" },
      h(
        DeckQuote,
        null,
        h(
          "p",
          null,
          "Just like humans, computers are slow at computing floating-point operations compared to integer operations. Try to do 3 × 6 and compare it to 1.21 × 2.897: which one can you compute faster?",
        ),
      ),
      h(
        "ul",
        null,
        h(
          "li",
          null,
          h("strong", null, "Less memory"),
          " when loading models (important for devices like smart phones).",
        ),
        h(
          "li",
          null,
          h("strong", null, "Less inference time"),
          " thanks to simpler data types: section 7 times int8 kernels against fp32.",
        ),
        h(
          "li",
          null,
          h("strong", null, "Less energy"),
          ", because inference takes less computation overall.",
        ),
      ),
    ),
  );
}
