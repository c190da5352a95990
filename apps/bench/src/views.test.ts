import { describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";
import {
  accuracySeries,
  calibratorErrors,
  formatCount,
  formatNumber,
  headlines,
  ratioGroups,
  throughputCharts,
} from "./views";

describe("throughputCharts", () => {
  it("makes one chart per suite and op, one series per impl and backend, points sorted by size", () => {
    const charts = throughputCharts(fixtureRun());
    expect(charts.map((c) => c.title)).toEqual([
      "numeric: float16.encode",
      "kernels: gemm.int8",
      "kernels: gemm.fp32",
    ]);
    const gemm = charts[1]!;
    expect(gemm.xLabel).toBe("problem size (MACs)");
    expect(gemm.yLabel).toBe("throughput (GMAC/s)");
    expect(gemm.series.map((s) => s.label)).toEqual(["quantkit · js", "onnxruntime-node · ort-cpu"]);
    // 64^3 MACs in 1 ms = 0.262144 GMAC/s; 256^3 in 40 ms = 0.4194304 GMAC/s.
    expect(gemm.series[0]!.points.map((p) => [p.x, p.y])).toEqual([
      [262144, 0.262144],
      [16777216, 0.4194304],
    ]);
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

  it("groups the ratios of each suite that has any", () => {
    expect(ratioGroups(fixtureRun()).map((g) => [g.suite, g.ratios.length])).toEqual([
      ["numeric", 2],
      ["kernels", 2],
    ]);
  });
});

describe("headlines", () => {
  it("quotes the headline ratios, then fp32 and PTQ/QAT at 8 and 4 bits", () => {
    expect(headlines(fixtureRun()).map((h) => `${h.label} = ${h.value}`)).toEqual([
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
