import { Rng } from "@quantkit/tensor";
import type { Suite, SuiteContext } from "../context";
import { findBenchFunction, importPackage, loadBenchModules } from "../packageBench";
import { addUnlessMeasured, caseTiming, type PackageCase, slug } from "./_cases";

/** Values per tensor (rows of 4096, as benchQuantize requires). */
const SIZES = { quick: [1 << 20], full: [1 << 20, 1 << 24] };

type Fn = (...args: unknown[]) => unknown;

/**
 * The headline pairs, timed in the same rounds through the public API: quantize, dequantize and
 * fake-quantize per tensor (quint8) against a plain `Float32Array.prototype.set` copy of the same data,
 * the memory-bound limit. Their ids equal benchQuantize's case ids, so they replace its sequential
 * timings of those cases.
 */
async function pairedWithCopy(ctx: SuiteContext, api: Record<string, unknown>, n: number): Promise<void> {
  const { calculateQParams, quantizePerTensor, quantize, dequantize, fakeQuantize } = api as Record<
    string,
    Fn
  >;
  if (
    ![calculateQParams, quantizePerTensor, quantize, dequantize, fakeQuantize].every(
      (f) => typeof f === "function",
    )
  ) {
    ctx.note(
      "paired ratios against copy not taken: @quantkit/quantizers lacks one of calculateQParams, quantizePerTensor, quantize, dequantize, fakeQuantize",
    );
    return;
  }
  const shape = [n / 4096, 4096];
  const x = new Rng(42).fillUniform(new Float32Array(n), -50, 150);
  const dst = new Float32Array(n);
  const qp = calculateQParams!(-50, 150) as { scale: Float32Array; zeroPoint: Int32Array };
  const scale = qp.scale[0]!;
  const zeroPoint = qp.zeroPoint[0]!;
  const codes = quantize!(x, shape, qp);
  const common = {
    size: n,
    sizeUnit: "elements",
    shape: `${n / 4096}x4096`,
    throughput: { unit: "Melem/s", per: 1e6 },
  };
  const id = (name: string) => `${slug(name)}/${n}`;
  await ctx.measure([
    {
      ...common,
      id: id("copy: Float32Array.prototype.set"),
      op: "copy: Float32Array.prototype.set",
      impl: "copy",
      backend: "js",
      run: () => dst.set(x),
    },
    {
      ...common,
      id: id("quantizePerTensor quint8"),
      op: "quantizePerTensor quint8",
      impl: "quantkit",
      backend: "auto",
      run: () => quantizePerTensor!(x, scale, zeroPoint, "quint8"),
    },
    {
      ...common,
      id: id("dequantize per tensor quint8"),
      op: "dequantize per tensor quint8",
      impl: "quantkit",
      backend: "js",
      run: () => dequantize!(codes, shape, qp),
    },
    {
      ...common,
      id: id("fakeQuantize per tensor quint8"),
      op: "fakeQuantize per tensor quint8",
      impl: "quantkit",
      backend: "auto",
      run: () => fakeQuantize!(x, shape, qp),
    },
  ]);
  const copy = id("copy: Float32Array.prototype.set");
  const label = (what: string) => `${what} / copy, ${n >= 1 << 20 ? `${n / (1 << 20)}M` : n} float32`;
  ctx.ratio(
    `quantize-vs-copy/${n}`,
    label("quantizePerTensor quint8"),
    id("quantizePerTensor quint8"),
    copy,
    n === 1 << 20,
  );
  ctx.ratio(
    `dequantize-vs-copy/${n}`,
    label("dequantize per tensor quint8"),
    id("dequantize per tensor quint8"),
    copy,
  );
  ctx.ratio(
    `fakequantize-vs-copy/${n}`,
    label("fakeQuantize per tensor quint8"),
    id("fakeQuantize per tensor quint8"),
    copy,
  );
}

/** @quantkit/quantizers' benchQuantize (every dtype and granularity), plus paired ratios against a copy. */
export const quantizersSuite: Suite = {
  id: "quantizers",
  title: "quantize / dequantize / fake-quantize throughput",
  package: "@quantkit/quantizers",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "quantizers");
    const bench = findBenchFunction(modules, /^benchQuantize/);
    if (!bench) {
      return ctx.skip(
        modules.length === 0
          ? "packages/quantizers/bench/*.bench.ts does not exist yet (@quantkit/quantizers has not landed its bench)"
          : "packages/quantizers/bench exports no benchQuantize function yet",
      );
    }
    const api = await importPackage("@quantkit/quantizers");
    if (!api.module) return ctx.skip(api.error);
    ctx.source = `${bench.source} + paired ratios against copy (apps/bench)`;
    const sizes = SIZES[ctx.mode];
    for (const [i, n] of sizes.entries()) {
      ctx.progress(i / sizes.length, `${n} values: paired with copy`);
      await pairedWithCopy(ctx, api.module, n);
      ctx.progress((i + 0.3) / sizes.length, `${n} values: ${bench.name}`);
      let cases = 0;
      const results = (await bench.fn({
        n,
        repeats: ctx.method.repetitions,
        warmup: ctx.method.warmupRounds,
        onResult: () =>
          ctx.progress(
            (i + 0.3 + 0.7 * Math.min(1, ++cases / 20)) / sizes.length,
            `${n} values: case ${cases}`,
          ),
      })) as PackageCase[];
      // The paired timings ran whichever kernel quantkit picked; benchQuantize's cases say which.
      for (const t of ctx.timings.filter((x) => x.backend === "auto" && x.size === n)) {
        const c = results.find((r) => r.name === t.op);
        t.backend = typeof c?.kernel === "string" ? c.kernel : "auto (not reported)";
      }
      const seen = new Set<string>();
      for (const c of results) {
        const name = String(c.name);
        // benchQuantize times the copy several times through the run; the first stands for it.
        if (seen.has(name)) continue;
        seen.add(name);
        const impl = name.startsWith("copy") ? "copy" : "quantkit";
        addUnlessMeasured(
          ctx,
          caseTiming(c, {
            id: `${slug(name)}/${n}`,
            impl,
            size: n,
            sizeUnit: "elements",
            shape: `${n / 4096}x4096`,
            samples: ctx.method.repetitions,
          }),
        );
      }
    }
    ctx.note(
      "Timings of each case come from benchQuantize (sequential runs); the ratios against copy and the timings they name are re-measured by apps/bench in paired rounds.",
    );
    ctx.progress(1, "done");
  },
};
