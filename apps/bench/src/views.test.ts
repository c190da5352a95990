import { describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";
import {
  accuracySeries,
  calibratorErrors,
  formatCount,
  formatNumber,
  headlines,
  ratioGroups,
  throughputBars,
  throughputCharts,
} from "./views";

describe("throughputCharts and throughputBars", () => {
  it("draws a curve only for series measured at 4 sizes or more, sorted by size", () => {
    const charts = throughputCharts(fixtureRun());
    expect(charts.map((c) => c.title)).toEqual(["numeric: float16.encode"]);
    const f16 = charts[0]!;
    expect(f16.yLabel).toBe("throughput (Melem/s)");
    expect(f16.series.map((s) => [s.label, s.role])).toEqual([["quantkit · js", "quantkit"]]);
    // 1M elements in 2 ms = 524.288 Melem/s; every point is size / time
    expect(f16.series[0]!.points.map((p) => [p.x, p.y])).toEqual([
      [262144, 524.288],
      [1048576, 524.288],
      [4194304, 524.288],
      [16777216, 524.288],
    ]);
  });

  it("draws a series of fewer sizes as bars, one per size, with the role the file states", () => {
    const groups = throughputBars(fixtureRun());
    expect(groups.map((g) => g.key)).toEqual(["numeric/Melem/s", "kernels/GMAC/s"]);
    expect(groups[0]!.bars.map((b) => [b.label, b.role])).toEqual([
      ["float16.encode · @petamoriken/float16 · js · 1M", "peer"],
      ["float16.encode · @petamoriken/float16 · js · 4M", "peer"],
    ]);
    expect(groups[1]!.bars.map((b) => b.label)).toEqual([
      "gemm.int8 · quantkit · js · 256K",
      "gemm.int8 · quantkit · js · 16M",
      "gemm.int8 · onnxruntime-node · ort-cpu · 16M",
      "gemm.fp32 · quantkit · js · 256K",
      "gemm.fp32 · quantkit · js · 16M",
    ]);
  });

  it("marks no series as a peer in a file without roles (never guessed from impl)", () => {
    const run = fixtureRun();
    for (const s of run.suites) for (const t of s.timings) delete t.role;
    expect(throughputBars(run)[0]!.bars.map((b) => b.role)).toEqual([undefined, undefined]);
  });
});

describe("accuracySeries", () => {
  it("gives PTQ and QAT curves from 8 down to 2 bits, and the fp32 accuracy apart", () => {
    const { series, fp32, fp32ByDataset } = accuracySeries(fixtureRun());
    expect(fp32).toBe(0.963);
    expect(fp32ByDataset).toEqual([{ dataset: "", accuracy: 0.963 }]);
    expect(series.map((s) => s.label)).toEqual(["PTQ · minmax", "QAT · minmax"]);
    expect(series[1]!.points).toEqual([
      { bits: 8, accuracy: 0.958 },
      { bits: 6, accuracy: 0.957 },
      { bits: 4, accuracy: 0.93 },
      { bits: 3, accuracy: 0.85 },
      { bits: 2, accuracy: 0.41 },
    ]);
  });
});

describe("calibratorErrors and ratioGroups", () => {
  it("puts observers on the axis and one dataset per case", () => {
    expect(calibratorErrors(fixtureRun())).toEqual({
      observers: ["minmax", "percentile", "mse"],
      unit: "mse",
      datasets: [{ label: "uniform+outlier, 1M values", values: [1.39, 0.05, 0.04] }],
    });
  });

  it("groups the ratios of each suite, like for like (same backend) apart from across backends", () => {
    expect(ratioGroups(fixtureRun()).map((g) => [g.key, g.sameBackend, g.ratios.map((r) => r.id)])).toEqual([
      ["numeric", true, ["f16/vs-peta/1M", "f16/vs-peta/4M"]],
      ["kernels", true, ["gemm/int8-vs-fp32/js/256"]],
      ["kernels-across", false, ["gemm/int8-vs-ort/js/256"]],
    ]);
  });
});

describe("headlines", () => {
  it("quotes the headline ratios, then fp32 and PTQ/QAT at 8 and 4 bits", () => {
    expect(headlines(fixtureRun()).map((h) => `${h.label} = ${h.value}`)).toEqual([
      "kernels-gpu: no figures = skipped",
      "float16 encode, quantkit / @petamoriken/float16, 1M = 2.5×",
      "int8 / fp32 GEMM speed, js, 256x256x256 = 1.5×",
      "quantkit int8 GEMM (js) / onnxruntime MatMulInteger speed, 256x256x256 = 0.1×",
      "fp32 model accuracy = 96.30%",
      "PTQ accuracy at 8 bits (minmax) = 96.20%",
      "PTQ accuracy at 4 bits (minmax) = 87.10%",
      "QAT accuracy at 8 bits (minmax) = 95.80%",
      "QAT accuracy at 4 bits (minmax) = 93.00%",
    ]);
  });

  it("puts a row where a failed suite's figures would be, with its reason, instead of dropping them", () => {
    const rows = headlines(fixtureRun({ failed: true }));
    expect(rows.slice(0, 2)).toEqual([
      { label: "kernels-gpu: no figures", value: "skipped", detail: "no gpu.js backend in this fixture" },
      {
        label: "quantizers: no figures",
        value: "failed",
        detail: "RangeError: quantize: scale must be > 0, got 0",
      },
    ]);
  });
});

describe("formatting", () => {
  it("formatNumber keeps 3 significant digits", () => {
    expect([1.8449, 23.45, 512, 0.012345, 12345.6, 0.00001234, 0].map(formatNumber)).toEqual([
      "1.84",
      "23.4",
      "512",
      "0.0123",
      "12,346",
      "1.23e-5",
      "0",
    ]);
  });

  it("formatCount writes binary sizes as K and M", () => {
    expect([1 << 20, 1 << 24, 4096, 1000].map(formatCount)).toEqual(["1M", "16M", "4K", "1,000"]);
  });
});
