import type { Suite } from "../../src/context";

/** A suite for the runner's test: two variants whose costs differ by a known factor, and one metric. */
export const suite: Suite = {
  id: "measuring",
  title: "test suite that measures",
  package: "test",
  async run(ctx) {
    const src = new Float64Array(1 << 14).fill(1);
    const dst = new Float64Array(1 << 14);
    ctx.progress(0.5, "copying");
    await ctx.measure([
      {
        id: "copy-once",
        op: "copy",
        impl: "test",
        role: "quantkit",
        backend: "js",
        size: src.length,
        sizeUnit: "elements",
        run: () => dst.set(src),
      },
      {
        id: "copy-8x",
        op: "copy",
        impl: "test",
        role: "quantkit",
        backend: "js",
        size: src.length,
        sizeUnit: "elements",
        run: () => {
          for (let i = 0; i < 8; i++) dst.set(src);
        },
      },
    ]);
    ctx.ratio("once-vs-8x", "one copy / eight copies", "copy-once", "copy-8x", true);
    ctx.metric({
      id: "m",
      kind: "accuracy",
      label: "a",
      value: 0.5,
      unit: "fraction",
      better: "higher",
      params: { method: "fp32" },
    });
    console.log("a package's console output must not reach the runner's terminal");
  },
};
