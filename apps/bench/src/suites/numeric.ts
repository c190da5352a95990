import { Float16Array } from "@petamoriken/float16";
import { Rng } from "@quantkit/tensor";
import type { Suite, SuiteContext } from "../context";
import { findBenchFunction, importPackage, loadBenchModules } from "../packageBench";
import { formatCount } from "../views";
import { addUnlessMeasured, caseTiming, type PackageCase, slug } from "./_cases";

/** Values per array. */
const SIZES = { quick: [1 << 16, 1 << 20], full: [1 << 16, 1 << 20, 1 << 24] };

interface FloatFormatApi {
  encodeArray(values: Float32Array, out?: Uint16Array): Uint16Array;
  decodeArray(bits: Uint16Array, out?: Float32Array): Float32Array;
}

/**
 * float16 encode and decode of @quantkit/numeric against @petamoriken/float16 in the same rounds, on
 * normal values spread over float16's range. The peer's fastest bulk paths: encode is
 * `Float16Array.prototype.set(float32Array)` into a preallocated array (no allocation, like ours with
 * `out`); decode is an indexed read loop `out[i] = f16[i]` (measured on 64K values: 17 ms, against
 * 31 ms for Float32Array.from, 39 ms for Float32Array#set and 217 ms for a getFloat16 loop).
 */
export async function measureFloat16AgainstPeer(ctx: SuiteContext, float16: FloatFormatApi, n: number) {
  const rng = new Rng(16);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal(0, 1) * 2 ** (rng.int(24) - 12);
  const bits = new Uint16Array(n);
  const back = new Float32Array(n);
  const peer = new Float16Array(n);
  const peerBits = float16.encodeArray(x);
  peer.set(x);
  const peerRaw = new Uint16Array(peer.buffer);
  const bad = peerRaw.findIndex((b, i) => b !== peerBits[i]);
  if (bad >= 0) {
    ctx.note(
      `float16 encode: quantkit and @petamoriken/float16 differ at [${bad}] for ${x[bad]}: ${peerBits[bad]} vs ${peerRaw[bad]}`,
    );
  }
  const label = formatCount(n);
  const common = { size: n, sizeUnit: "elements", shape: null, throughput: { unit: "Melem/s", per: 1e6 } };
  const ids = {
    encode: `float16.encode/quantkit/${n}`,
    encodePeer: `float16.encode/@petamoriken/float16/${n}`,
    decode: `float16.decode/quantkit/${n}`,
    decodePeer: `float16.decode/@petamoriken/float16/${n}`,
  };
  await ctx.measure([
    {
      ...common,
      id: ids.encode,
      op: "float16.encode",
      impl: "quantkit",
      backend: "js",
      run: () => float16.encodeArray(x, bits),
    },
    {
      ...common,
      id: ids.encodePeer,
      op: "float16.encode",
      impl: "@petamoriken/float16",
      backend: "js",
      run: () => peer.set(x),
    },
    {
      ...common,
      id: ids.decode,
      op: "float16.decode",
      impl: "quantkit",
      backend: "js",
      run: () => float16.decodeArray(bits, back),
    },
    {
      ...common,
      id: ids.decodePeer,
      op: "float16.decode",
      impl: "@petamoriken/float16",
      backend: "js",
      run: () => {
        for (let i = 0; i < n; i++) back[i] = peer[i]!;
      },
    },
  ]);
  ctx.ratio(
    `float16.encode/vs-petamoriken/${n}`,
    `float16 encodeArray, quantkit / @petamoriken/float16 speed, ${label}`,
    ids.encode,
    ids.encodePeer,
    n === 1 << 20,
  );
  ctx.ratio(
    `float16.decode/vs-petamoriken/${n}`,
    `float16 decodeArray, quantkit / @petamoriken/float16 speed, ${label}`,
    ids.decode,
    ids.decodePeer,
  );
}

/** @quantkit/numeric's float array codecs: its own bench function, and float16 against @petamoriken/float16. */
export const numericSuite: Suite = {
  id: "numeric",
  title: "float16 / bfloat16 / float8 array encode and decode",
  package: "@quantkit/numeric",
  async run(ctx) {
    const modules = await loadBenchModules(ctx.repoRoot, "numeric");
    const bench = findBenchFunction(modules, /^bench/);
    if (!bench) {
      return ctx.skip(
        modules.length === 0
          ? "packages/numeric/bench/*.bench.ts does not exist yet (@quantkit/numeric has not landed its bench)"
          : "packages/numeric/bench exports no bench… function yet",
      );
    }
    const api = await importPackage("@quantkit/numeric");
    if (!api.module) return ctx.skip(api.error);
    const float16 = api.module.float16 as FloatFormatApi | undefined;
    if (typeof float16?.encodeArray !== "function")
      return ctx.skip("@quantkit/numeric exports no float16.encodeArray");
    ctx.source = `${bench.source} + float16 paired with @petamoriken/float16 (apps/bench)`;
    const sizes = SIZES[ctx.mode];
    for (const [i, n] of sizes.entries()) {
      ctx.progress(i / sizes.length, `${formatCount(n)} values: float16 vs @petamoriken/float16`);
      await measureFloat16AgainstPeer(ctx, float16, n);
      ctx.progress((i + 0.5) / sizes.length, `${formatCount(n)} values: ${bench.name}`);
      const results = (await bench.fn({
        n,
        repeats: ctx.method.repetitions,
        warmup: ctx.method.warmupRounds,
      })) as PackageCase[];
      for (const c of results) {
        const name = String(c.name ?? "");
        const size = typeof c.values === "number" ? c.values : typeof c.n === "number" ? c.n : n;
        const impl = /petamoriken/i.test(name)
          ? "@petamoriken/float16"
          : /copy/i.test(name)
            ? "copy"
            : "quantkit";
        addUnlessMeasured(
          ctx,
          caseTiming(c, {
            id: `${slug(name)}/${size}`,
            impl,
            size,
            sizeUnit: "elements",
            samples: ctx.method.repetitions,
          }),
        );
      }
    }
    ctx.progress(1, "done");
  },
};
