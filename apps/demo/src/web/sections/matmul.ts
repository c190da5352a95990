/**
 * Section 7: integer matrix multiplication. A small X Wᵀ + B quantized the deck's way, with the MAC
 * accumulation of one output shown step by step from the int32 bias, and the requantization back to
 * uint8; then @quantkit/kernels (CPU, WebAssembly SIMD) and @quantkit/kernels-gpu (gpu.js on WebGL2)
 * on a larger product in the worker, timed and checked equal.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { formatF32, formatInt, formatMs, formatSig } from "../lib/format";
import { macSteps, matmulExample } from "../lib/matmulExample";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, RunButton, Segmented, Slider } from "../ui/controls";
import {
  Columns,
  DataTable,
  DeckQuote,
  ErrorBox,
  Figure,
  Formula,
  Note,
  Panel,
  ProgressBar,
  SectionFrame,
  Stat,
  Stats,
} from "../ui/layout";
import { palette } from "../ui/palette";
import { useJob } from "../ui/useJob";

function Matrix(props: {
  id: string;
  title: string;
  rows: number;
  cols: number;
  at: (r: number, c: number) => string;
  hl?: (r: number, c: number) => boolean;
}): JSX.Element {
  const { rows, cols, at, hl } = props;
  return h(
    "div",
    { class: "matrix-wrap" },
    h("div", { class: "matrix-title" }, props.title),
    h(
      "table",
      { class: "matrix", "data-testid": props.id },
      h(
        "tbody",
        null,
        Array.from({ length: rows }, (_, r) =>
          h(
            "tr",
            null,
            Array.from({ length: cols }, (_, c) =>
              h("td", { class: hl?.(r, c) ? "hl" : undefined }, at(r, c)),
            ),
          ),
        ),
      ),
    ),
  );
}

const SIZES = [128, 256, 512] as const;

export default function Matmul(props: { info: SectionInfo }): JSX.Element {
  const [seed, setSeed] = useState(1);
  const [row, setRow] = useState(0);
  const [col, setCol] = useState(0);
  const [step, setStep] = useState(4);
  const [size, setSize] = useState<number>(256);
  const bench = useJob("gemmBench");

  const ex = useMemo(() => matmulExample(seed), [seed]);
  const steps = useMemo(() => macSteps(ex, row, col), [ex, row, col]);
  const shown = steps.slice(0, step);
  const accNow = step === 0 ? ex.layer.bias[col]! : steps[step - 1]!.acc;
  const idx = row * ex.n + col;
  const M = ex.layer.multiplier[0]!;
  const S = ex.layer.shift[0]!;

  const benchChart = useMemo<ChartConfiguration | null>(() => {
    const r = bench.result;
    if (!r) return null;
    return {
      type: "bar",
      data: {
        labels: r.rows.map((x) => [x.label, `(${x.backend})`]),
        datasets: [
          {
            label: "median time",
            data: r.rows.map((x) => x.timing.medianMs),
            backgroundColor: r.rows.map((x) => (x.dtype === "int8" ? palette.accent : palette.accent2)),
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => formatMs(Number(c.parsed.y)) } },
        },
        scales: {
          x: { title: axisTitle("kernel (backend)"), ticks: { maxRotation: 0 } },
          y: { type: "logarithmic", title: axisTitle("time per call, log", "ms") },
        },
      },
    };
  }, [bench.result]);

  const r = bench.result;
  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "A linear layer computes X W + B: each output is a dot product of a row of X with a column of W, plus an element of the bias. The GPU runs it with Multiply-Accumulate (MAC) blocks, many in parallel.",
        ),
        h(
          "p",
          null,
          "With quantized operands every multiply is int8 × int8 and the accumulator is int32: it is initialized with the bias, which is why the bias is quantized to 32 bits, at scale s",
          h("sub", null, "x"),
          " · s",
          h("sub", null, "w"),
          ". One fixed-point multiply then brings the int32 sum back to 8 bits.",
        ),
      ],
    },
    h(
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
    ),
    h(
      Panel,
      {
        title: "CPU and GPU kernels on a larger product",
        sub: "Runs in a Web Worker: uint8 × int8 → int32 with a zero point, and the fp32 product of the same shape, on the CPU (WebAssembly SIMD, and plain JS) and through gpu.js on WebGL2. Each kernel is warmed up once, then timed.",
      },
      h(
        Controls,
        null,
        h(Segmented<number>, {
          id: "mm-size",
          label: "m = k = n",
          value: size,
          options: SIZES.map((s) => ({ value: s, label: String(s) })),
          onChange: setSize,
        }),
        h(RunButton, {
          id: "mm-run",
          label: "Run and time",
          running: bench.running,
          onClick: () => bench.run({ size, reps: 5 }),
          onCancel: bench.cancel,
        }),
      ),
      bench.running && bench.progress
        ? h(ProgressBar, { id: "mm-progress", value: bench.progress.fraction, label: bench.progress.step })
        : null,
      h(ErrorBox, { error: bench.error }),
      r
        ? h(
            "div",
            { "data-testid": "mm-bench-result" },
            h(
              Stats,
              null,
              h(Stat, {
                id: "mm-gpu-backend",
                label: "gpu.js backend",
                value: r.gpuBackend ?? "unavailable",
                tone: r.gpuBackend ? "accent" : "bad",
                hint: r.gpuError ?? "reported by the kernels",
              }),
              h(Stat, {
                id: "mm-gpu-equal",
                label: "GPU int32 = CPU int32",
                value: r.gpuIntEqual === null ? "n/a" : r.gpuIntEqual ? "bit for bit ✓" : "differs ✗",
                tone: r.gpuIntEqual ? "good" : "bad",
                hint: `${formatInt(r.size * r.size)} sums of ${r.size} products`,
              }),
              h(Stat, {
                id: "mm-js-equal",
                label: "JS int32 = SIMD int32",
                value: r.jsIntEqual ? "bit for bit ✓" : "differs ✗",
                tone: r.jsIntEqual ? "good" : "bad",
              }),
              h(Stat, {
                id: "mm-fp32-diff",
                label: "fp32 GPU vs CPU",
                value: r.fp32RelDiff === null ? "n/a" : formatSig(r.fp32RelDiff, 2),
                hint:
                  r.fp32RelDiff === 0
                    ? "identical here; float sums may differ in order"
                    : "relative: float sums depend on their order",
              }),
            ),
            h(DataTable, {
              id: "mm-bench-table",
              head: ["kernel", "backend", "median", "min … max", "GOPS"],
              numeric: [false, false, true, true, true],
              rows: r.rows.map((x) => [
                x.label,
                x.backend,
                formatMs(x.timing.medianMs),
                `${formatMs(x.timing.minMs)} … ${formatMs(x.timing.maxMs)}`,
                formatSig(x.gops, 3),
              ]),
              caption: `${r.size} × ${r.size} × ${r.size}: after a warm-up, ${r.reps} timed samples each; a fast kernel's sample is a batch of calls lasting 10 ms or more (the worker's clock ticks in 0.1 ms). GOPS = 2·m·k·n / median time.`,
            }),
            benchChart
              ? h(
                  Figure,
                  {
                    caption:
                      "Blue: int8 kernels; orange: fp32. Without a real GPU, Chromium's WebGL2 runs on SwiftShader, a CPU emulation: the GPU bars then measure the emulator.",
                  },
                  h(ChartView, {
                    id: "mm-bench-chart",
                    label: "kernel timings",
                    config: benchChart,
                    height: 230,
                  }),
                )
              : null,
          )
        : h(Note, null, "Press “Run and time”: the page stays responsive while the worker runs."),
    ),
  );
}
