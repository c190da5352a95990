import type { Suite } from "../context";
import { findBenchFunction, loadBenchModules } from "../packageBench";
import { formatCount } from "../views";
import { caseTiming, type PackageCase } from "./_cases";

/** Tensor sizes: the 1M and 16M; the quick run keeps 1M (16M of the MSE/entropy searches alone takes minutes here). */
const SIZES = { quick: [1 << 20], full: [1 << 20, 1 << 24] };

/**
 * Timed rounds of benchObservers (after its one warm-up round). A quick run takes one: the searching
 * per-channel observers take seconds per call over 1M values (PerChannelMseObserver about 13 s here).
 */
const REPEATS = { quick: 1, full: 5 };

/** The data benchObservers draws (see packages/calibrators/bench/observers.bench.ts). */
const DISTRIBUTION = "normal(0,1), 1 in 10^4 an outlier in ±[8,16]";

/**
 * @quantkit/calibrators' benchObservers: every per-tensor observer over one tensor, the time of
 * observe + calculateQParams, and the error (MSE, SQNR) of fake-quantizing the tensor with the range it
 * picked. Its rounds go round-robin over the observers; it reports aggregates only, so no paired ratio
 * is taken here (the times are listed, the errors charted).
 */
export const calibratorsSuite: Suite = {
  id: "calibrators",
  title: "observers: time and the error of the range they pick",
  package: "@quantkit/calibrators",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "calibrators");
    const bench = findBenchFunction(modules, /^benchObservers/);
    if (!bench) {
      return ctx.skip(
        modules.length === 0
          ? "packages/calibrators/bench/*.bench.ts does not exist yet (@quantkit/calibrators has not landed its bench)"
          : "packages/calibrators/bench exports no benchObservers function yet",
      );
    }
    ctx.source = bench.source;
    const sizes = SIZES[ctx.mode];
    let done = 0;
    const expected = sizes.length * 7;
    const rows = (await bench.fn({
      sizes,
      repeats: REPEATS[ctx.mode],
      onProgress: (r: { observer?: string; n?: number }) =>
        ctx.progress(Math.min(1, ++done / expected), `${r.observer ?? ""} over ${formatCount(r.n ?? 0)}`),
    })) as PackageCase[];
    for (const r of rows) {
      const method = String(r.method);
      const n = Number(r.n);
      const observer = String(r.observer ?? method);
      const timing = caseTiming(
        { ...r, name: observer },
        {
          id: `observe/${method}/${n}`,
          op: "observe + calculateQParams",
          impl: observer,
          backend: "js",
          size: n,
          sizeUnit: "elements",
          params: { method, distribution: DISTRIBUTION },
          samples: REPEATS[ctx.mode],
        },
      );
      if (timing) ctx.addTiming(timing);
      const params = { observer: method, size: n, distribution: "normal+outliers" };
      if (typeof r.mse === "number" && Number.isFinite(r.mse)) {
        ctx.metric({
          id: `range-error/${method}/${n}`,
          kind: "range-error",
          label: `${observer}: MSE of 8-bit fake-quantize with its range, ${formatCount(n)} values`,
          value: r.mse,
          unit: "mse",
          better: "lower",
          params,
        });
      }
      if (typeof r.sqnrDb === "number" && Number.isFinite(r.sqnrDb)) {
        ctx.metric({
          id: `sqnr/${method}/${n}`,
          kind: "sqnr",
          label: `${observer}: SQNR of 8-bit fake-quantize with its range, ${formatCount(n)} values`,
          value: r.sqnrDb,
          unit: "dB",
          better: "higher",
          params,
        });
      }
      if (typeof r.minVal === "number" && typeof r.maxVal === "number") {
        ctx.metric({
          id: `range/${method}/${n}`,
          kind: "range",
          label: `${observer}: width of the range picked (${r.minVal.toPrecision(4)} .. ${r.maxVal.toPrecision(4)})`,
          value: r.maxVal - r.minVal,
          unit: "float",
          better: "lower",
          params: { ...params, minVal: r.minVal, maxVal: r.maxVal },
        });
      }
    }
    ctx.note(
      `Data: ${DISTRIBUTION}; quint8 per-tensor affine; the error is that of fakeQuantize(x) against x.`,
    );
    ctx.progress(1, "done");
  },
};
