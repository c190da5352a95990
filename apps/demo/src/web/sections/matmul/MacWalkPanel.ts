/**
 * Section 7's worked product: X Wᵀ + B quantized the deck's way, the MAC accumulation of one output
 * stepped through from the int32 bias, and the requantization back to uint8.
 */
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { formatF32, formatInt, formatSig } from "../../lib/format";
import { macSteps, matmulExample } from "../../lib/matmulExample";
import { Controls, Segmented, Slider } from "../../ui/controls";
import { Columns, DataTable, DeckQuote, Formula, Note, Panel, Stat, Stats } from "../../ui/layout";
import { Matrix } from "./Matrix";

export function MacWalkPanel(): JSX.Element {
  const [seed, setSeed] = useState(1);
  const [row, setRow] = useState(0);
  const [col, setCol] = useState(0);
  const [step, setStep] = useState(4);

  const ex = useMemo(() => matmulExample(seed), [seed]);
  const steps = useMemo(() => macSteps(ex, row, col), [ex, row, col]);
  const shown = steps.slice(0, step);
  const accNow = step === 0 ? ex.layer.bias[col]! : steps[step - 1]!.acc;
  const idx = row * ex.n + col;
  const M = ex.layer.multiplier[0]!;
  const S = ex.layer.shift[0]!;
  return h(
    Panel,
    {
      title: "A worked product, step by step",
      sub: "X: uint8, asymmetric (scale and zero point). W: int8, symmetric (PyTorch's default: zero point 0). Pick an output, then step the MAC through k.",
    },
    h(
      Controls,
      null,
      h(Segmented<number>, {
        id: "mm-row",
        label: "Output row i",
        value: row,
        options: Array.from({ length: ex.m }, (_, i) => ({ value: i, label: String(i) })),
        onChange: setRow,
      }),
      h(Segmented<number>, {
        id: "mm-col",
        label: "Output column j",
        value: col,
        options: Array.from({ length: ex.n }, (_, j) => ({ value: j, label: String(j) })),
        onChange: setCol,
      }),
      h(Slider, {
        id: "mm-step",
        label: "MAC steps done",
        min: 0,
        max: ex.k,
        value: step,
        onInput: setStep,
        format: (s) => `${s} of ${ex.k}`,
      }),
      h(
        "button",
        { type: "button", class: "ghost", "data-testid": "mm-new", onClick: () => setSeed((s) => s + 1) },
        "New numbers",
      ),
    ),
    h(
      "div",
      { class: "matrices" },
      h("span", { class: "matrices-label" }, "float"),
      h(Matrix, {
        id: "mm-x",
        title: "X",
        rows: ex.m,
        cols: ex.k,
        at: (r, c) => formatF32(ex.x[r * ex.k + c]!),
        hl: (r) => r === row,
      }),
      h(Matrix, {
        id: "mm-w",
        title: "Wᵀ",
        rows: ex.k,
        cols: ex.n,
        at: (r, c) => formatF32(ex.w[c * ex.k + r]!),
        hl: (_r, c) => c === col,
      }),
      h(Matrix, {
        id: "mm-b",
        title: "B",
        rows: 1,
        cols: ex.n,
        at: (_r, c) => formatF32(ex.b[c]!),
        hl: (_r, c) => c === col,
      }),
      h(Matrix, {
        id: "mm-y-float",
        title: "Y = X Wᵀ + B",
        rows: ex.m,
        cols: ex.n,
        at: (r, c) => formatSig(ex.y[r * ex.n + c]!, 4),
        hl: (r, c) => r === row && c === col,
      }),
    ),
    h(
      "div",
      { class: "matrices" },
      h("span", { class: "matrices-label" }, "integer"),
      h(Matrix, {
        id: "mm-xq",
        title: `X_q (uint8, z_x = ${ex.xZeroPoint})`,
        rows: ex.m,
        cols: ex.k,
        at: (r, c) => String(ex.xq[r * ex.k + c]),
        hl: (r) => r === row,
      }),
      h(Matrix, {
        id: "mm-wq",
        title: "W_qᵀ (int8)",
        rows: ex.k,
        cols: ex.n,
        at: (r, c) => String(ex.wq[c * ex.k + r]),
        hl: (_r, c) => c === col,
      }),
      h(Matrix, {
        id: "mm-bq",
        title: "B_q (int32)",
        rows: 1,
        cols: ex.n,
        at: (_r, c) => formatInt(ex.layer.bias[c]!),
        hl: (_r, c) => c === col,
      }),
      h(Matrix, {
        id: "mm-yq-matrix",
        title: `Y_q (uint8, z_y = ${ex.yZeroPoint})`,
        rows: ex.m,
        cols: ex.n,
        at: (r, c) => String(ex.yq[r * ex.n + c]),
        hl: (r, c) => r === row && c === col,
      }),
    ),
    h(
      Columns,
      { ratio: "1-1" },
      h(
        "div",
        null,
        h(DataTable, {
          id: "mm-mac",
          compact: true,
          caption: `MAC block for output (${row}, ${col}): acc starts at B_q[${col}] = ${formatInt(ex.layer.bias[col]!)}`,
          head: ["k", "x_q", "x_q − z_x", "w_q", "product", "acc (int32)"],
          numeric: [true, true, true, true, true, true],
          rows: shown.map((s) => [
            String(s.k),
            String(s.xq),
            String(s.xCentered),
            String(s.wq),
            formatInt(s.product),
            formatInt(s.acc),
          ]),
        }),
        h(
          Stats,
          null,
          h(Stat, {
            id: "mm-acc",
            label: "accumulator now",
            value: formatInt(accNow),
            tone: step === ex.k ? "accent" : undefined,
            hint: step === ex.k ? `the GEMM gives ${formatInt(ex.acc[idx]!)}` : `${ex.k - step} MACs to go`,
          }),
        ),
      ),
      h(
        "div",
        null,
        h(
          Formula,
          { id: "mm-requant" },
          `s_x = ${formatF32(ex.xScale)}   s_w = ${formatF32(ex.wScale)}   s_y = ${formatF32(ex.yScale)}   z_y = ${ex.yZeroPoint}\n`,
          `M = s_x · s_w / s_y = ${formatSig(ex.realMultiplier, 6)} ≈ ${M} · 2^(${S} − 31)\n`,
          `y_q = clamp(z_y + round(acc · M), 0, 255) = ${ex.yZeroPoint} + round(${formatInt(ex.acc[idx]!)} · ${formatSig(ex.realMultiplier, 4)}) = ${ex.yq[idx]}\n`,
          `ŷ = s_y · (y_q − z_y) = ${formatF32(ex.yDequantized[idx]!)}    float: y = ${formatF32(ex.y[idx]!)}`,
        ),
        h(
          Stats,
          null,
          h(Stat, { id: "mm-yq", label: "y_q (uint8)", value: String(ex.yq[idx]) }),
          h(Stat, { id: "mm-yhat", label: "ŷ dequantized", value: formatF32(ex.yDequantized[idx]!) }),
          h(Stat, { id: "mm-y", label: "y float", value: formatF32(ex.y[idx]!) }),
          h(Stat, {
            id: "mm-linear-equal",
            label: "quantizedLinear",
            value: [...ex.yq].every((v, i) => v === ex.yLinear[i]) ? "same codes ✓" : "differs ✗",
            tone: "good",
            hint: `one call, ${ex.backend} kernels`,
          }),
        ),
      ),
    ),
    h(
      DeckQuote,
      null,
      h(
        "p",
        null,
        "The accumulator is initialized with the bias element. This is also the reason we quantize the bias as 32 bit, because it has to accumulate the product of many 8 bit integers.",
      ),
    ),
    h(
      Note,
      null,
      "The full derivation (the zero points' four-term expansion) is in Google's gemmlowp notes, which quantkit's kernels follow: gemmlowp/doc/quantization.md.",
    ),
  );
}
