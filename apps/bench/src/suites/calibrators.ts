import {
  benchObservers,
  DEFAULT_METHODS,
  type ObserverBenchResult,
} from "../../../../packages/calibrators/bench/observers.bench";
import type { Suite, SuiteContext } from "../context";
import { benchEntry } from "../packageBench";
import { formatCount } from "../views";
import { caseTiming } from "./_cases";

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

/** benchObservers' default observers less PerChannelMseObserver. */
const LEAN_METHODS = DEFAULT_METHODS.filter((m) => m !== "per_channel_mse");

/** The data benchObservers draws (see packages/calibrators/bench/observers.bench.ts). */
const DISTRIBUTION = "normal(0,1), 1 in 10^4 an outlier in ±[8,16]";

function record(ctx: SuiteContext, rows: ObserverBenchResult[], repeats: number): void {
  for (const r of rows) {
    const { method, n, observer } = r;
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
    if (Number.isFinite(r.mse)) {
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
    if (Number.isFinite(r.sqnrDb)) {
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
    const bench = benchEntry(ctx.repoRoot, "packages/calibrators/bench/observers.bench.ts", benchObservers);
    ctx.source = bench.source;
    let done = 0;
    const plan = PLAN[ctx.mode];
    const expected = plan.length * 10;
    for (const { size, repeats, lean: leaveOut } of plan) {
      const methods = leaveOut ? LEAN_METHODS : undefined;
      if (methods)
        ctx.note(
          `PerChannelMseObserver left out over ${formatCount(size)} values in a quick run (--full has it)`,
        );
      const rows = await bench.fn({
        sizes: [size],
        repeats,
        ...(methods ? { methods } : {}),
        onProgress: (r) =>
          ctx.progress(Math.min(1, ++done / expected), `${r.observer} over ${formatCount(r.n)}`),
      });
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
