import type { Suite, SuiteContext } from "../context";
import { findBenchFunction, importPackage, loadBenchModules } from "../packageBench";
import { formatCount } from "../views";
import { caseTiming, type PackageCase } from "./_cases";

/**
 * Tensor sizes and timed rounds of benchObservers at each (after its one warm-up round): the issue's
 * 1M and 16M. `lean` leaves PerChannelMseObserver out (about 0.9 s per call over 1M values here, so
 * about 15 s over 16M): a quick run keeps it at 1M only.
 */
const PLAN: Record<"quick" | "full", { size: number; repeats: number; lean: boolean }[]> = {
  quick: [
    { size: 1 << 20, repeats: 5, lean: false },
    { size: 1 << 24, repeats: 1, lean: true },
  ],
  full: [
    { size: 1 << 20, repeats: 15, lean: false },
    { size: 1 << 24, repeats: 3, lean: false },
  ],
};

/** benchObservers' default observers less PerChannelMseObserver, kept to the names the package knows. */
const LEAN_METHODS = [
  "minmax",
  "moving_average_minmax",
  "percentile",
  "histogram",
  "mse",
  "entropy",
  "crossentropy",
  "per_channel_minmax",
  "per_channel_percentile",
];

/** The data benchObservers draws (see packages/calibrators/bench/observers.bench.ts). */
const DISTRIBUTION = "normal(0,1), 1 in 10^4 an outlier in ±[8,16]";

function record(ctx: SuiteContext, rows: PackageCase[], repeats: number): void {
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
        role: "quantkit",
        backend: "js",
        size: n,
        sizeUnit: "elements",
        params: { method, distribution: DISTRIBUTION },
        samples: repeats,
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
}

/**
 * @quantkit/calibrators' benchObservers: every observer over one tensor, the time of observe +
 * calculateQParams, and the error (MSE, SQNR) of fake-quantizing the tensor with the range it picked.
 * Its rounds go round-robin over the observers; it reports aggregates only, so no paired ratio is
 * taken here (the times are listed, the errors charted).
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
    const api = await importPackage("@quantkit/calibrators");
    const known = (api.module?.OBSERVER_NAMES ?? null) as readonly string[] | null;
    const lean = known ? LEAN_METHODS.filter((m) => known.includes(m)) : undefined;
    let done = 0;
    const plan = PLAN[ctx.mode];
    const expected = plan.length * 10;
    for (const { size, repeats, lean: leaveOut } of plan) {
      const methods = leaveOut ? lean : undefined;
      if (methods)
        ctx.note(
          `PerChannelMseObserver left out over ${formatCount(size)} values in a quick run (--full has it)`,
        );
      const rows = (await bench.fn({
        sizes: [size],
        repeats,
        ...(methods ? { methods } : {}),
        onProgress: (r: { observer?: string; n?: number }) =>
          ctx.progress(Math.min(1, ++done / expected), `${r.observer ?? ""} over ${formatCount(r.n ?? 0)}`),
      })) as PackageCase[];
      record(ctx, rows, repeats);
    }
    ctx.note(
      `Data: ${DISTRIBUTION}; quint8 per-tensor affine; the error is that of fakeQuantize(x) against x. Timed rounds: ${plan
        .map((p) => `${p.repeats} over ${formatCount(p.size)}`)
        .join(", ")} (after one warm-up round).`,
    );
    ctx.progress(1, "done");
  },
};
