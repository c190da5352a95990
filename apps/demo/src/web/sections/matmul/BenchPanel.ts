/**
 * Section 7's kernels on a larger product: @quantkit/kernels (WebAssembly SIMD and plain JS) and
 * @quantkit/kernels-gpu (gpu.js on WebGL2) in the worker, timed and checked equal bit for bit.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { formatInt, formatMs, formatSig } from "../../lib/format";
import { axisTitle, ChartView } from "../../ui/chart";
import { Controls, RunButton, Segmented } from "../../ui/controls";
import { DataTable, ErrorBox, Figure, Note, Panel, ProgressBar, Stat, Stats } from "../../ui/layout";
import { palette } from "../../ui/palette";
import { useJob } from "../../ui/useJob";

const _SIZES = [128, 256, 512] as const;

export function BenchPanel(): JSX.Element {
  const [size, setSize] = useState<number>(256);
  const bench = useJob("gemmBench");

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
        options: _SIZES.map((s) => ({ value: s, label: String(s) })),
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
  );
}
