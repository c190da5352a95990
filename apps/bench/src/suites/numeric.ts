import { Float16Array } from "@petamoriken/float16";
import { bfloat16, float8e4m3fn, float8e5m2, float16 } from "@quantkit/numeric";
import { Rng } from "@quantkit/tensor";
import { benchFloat16 } from "../../../../packages/numeric/bench/float16.bench";
import type { MeasuredVariant, Suite, SuiteContext } from "../context";
import { benchEntry } from "../packageBench";
import { formatCount } from "../views";
import { addUnlessMeasured, caseTiming, slug } from "./_cases";

/** Values per array. */
const SIZES = { quick: [1 << 16, 1 << 20], full: [1 << 16, 1 << 20, 1 << 24] };

type Bits = Uint16Array | Uint8Array;

interface FloatFormatApi {
  encodeArray(values: Float32Array, out?: Bits): Bits;
  decodeArray(bits: Bits, out?: Float32Array): Float32Array;
}

/** The other formats timed in the same rounds (no npm peer to compare them with). */
const OTHER_FORMATS: Record<string, FloatFormatApi> = { bfloat16, float8e4m3fn, float8e5m2 };

const MELEM = { unit: "Melem/s", per: 1e6 };

/**
 * float16 encode and decode of @quantkit/numeric against @petamoriken/float16 in the same rounds, on
 * normal values spread over float16's binades (and bfloat16 / float8 encode and decode beside them).
 * The peer's fastest bulk paths: encode is `Float16Array.prototype.set(float32Array)` into a
 * preallocated array (no allocation, like ours with `out`); decode is an indexed read loop
 * `out[i] = f16[i]` (measured on 64K values: 17 ms, against 31 ms for Float32Array.from, 39 ms for
 * Float32Array#set and 217 ms for a getFloat16 loop).
 */
export async function measureFloat16AgainstPeer(
  ctx: SuiteContext,
  float16: FloatFormatApi,
  n: number,
  others: Record<string, FloatFormatApi> = {},
): Promise<void> {
  const rng = new Rng(16);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal(0, 1) * 2 ** (rng.int(24) - 12);
  const bits = new Uint16Array(n);
  const back = new Float32Array(n);
  const peer = new Float16Array(n);
  const ours = float16.encodeArray(x) as Uint16Array;
  peer.set(x);
  const peerRaw = new Uint16Array(peer.buffer);
  const bad = peerRaw.findIndex((b, i) => b !== ours[i]);
  if (bad >= 0) {
    ctx.note(
      `float16 encode: quantkit and @petamoriken/float16 differ at [${bad}] (${x[bad]}): ${ours[bad]} vs ${peerRaw[bad]}`,
    );
  }
  const label = formatCount(n);
  const common = { size: n, sizeUnit: "elements", shape: null, throughput: MELEM, backend: "js" };
  const ids = {
    encode: `float16.encode/quantkit/${n}`,
    encodePeer: `float16.encode/@petamoriken/float16/${n}`,
    decode: `float16.decode/quantkit/${n}`,
    decodePeer: `float16.decode/@petamoriken/float16/${n}`,
  };
  const variants: MeasuredVariant[] = [
    {
      ...common,
      id: ids.encode,
      op: "float16.encode",
      impl: "quantkit",
      role: "quantkit",
      run: () => float16.encodeArray(x, bits),
    },
    {
      ...common,
      id: ids.encodePeer,
      op: "float16.encode",
      impl: "@petamoriken/float16",
      role: "peer",
      run: () => peer.set(x),
    },
    {
      ...common,
      id: ids.decode,
      op: "float16.decode",
      impl: "quantkit",
      role: "quantkit",
      run: () => float16.decodeArray(bits, back),
    },
    {
      ...common,
      id: ids.decodePeer,
      op: "float16.decode",
      impl: "@petamoriken/float16",
      role: "peer",
      run: () => {
        for (let i = 0; i < n; i++) back[i] = peer[i]!;
      },
    },
  ];
  for (const [name, format] of Object.entries(others)) {
    const codes = format.encodeArray(x);
    variants.push(
      {
        ...common,
        id: `${name}.encode/quantkit/${n}`,
        op: `${name}.encode`,
        impl: "quantkit",
        role: "quantkit",
        run: () => format.encodeArray(x, codes),
      },
      {
        ...common,
        id: `${name}.decode/quantkit/${n}`,
        op: `${name}.decode`,
        impl: "quantkit",
        role: "quantkit",
        run: () => format.decodeArray(codes, back),
      },
    );
  }
  await ctx.measure(variants);
  ctx.ratio(
    `float16.encode/vs-petamoriken/${n}`,
    `float16 encodeArray, quantkit / @petamoriken/float16, ${label}`,
    ids.encode,
    ids.encodePeer,
    n === 1 << 20,
  );
  ctx.ratio(
    `float16.decode/vs-petamoriken/${n}`,
    `float16 decodeArray, quantkit / @petamoriken/float16, ${label}`,
    ids.decode,
    ids.decodePeer,
  );
}

/** @quantkit/numeric's float array codecs: its benchFloat16 (every path of both libraries), and the paired ratios. */
export const numericSuite: Suite = {
  id: "numeric",
  title: "float16 / bfloat16 / float8 array encode and decode",
  package: "@quantkit/numeric",
  async run(ctx) {
    const bench = benchEntry(ctx.repoRoot, "packages/numeric/bench/float16.bench.ts", benchFloat16);
    ctx.source = `${bench.source} (every path) + paired rounds of float16 against @petamoriken/float16, bfloat16, float8 (apps/bench)`;
    const sizes = SIZES[ctx.mode];
    for (const [i, n] of sizes.entries()) {
      ctx.progress(i / sizes.length, `${formatCount(n)} values: paired rounds`);
      await measureFloat16AgainstPeer(ctx, float16, n, OTHER_FORMATS);
      ctx.progress((i + 0.5) / sizes.length, `${formatCount(n)} values: ${bench.name}`);
      const results = await bench.fn({
        n,
        repeats: ctx.method.repetitions,
        warmup: ctx.method.warmupRounds,
        // The peer's per-element paths run at about 1M values/s or less (their rate is per value): a
        // quick run times them on 16K values to stay within its budget.
        ...(ctx.mode === "quick" ? { slowValues: Math.min(n, 1 << 14) } : {}),
      });
      for (const c of results) {
        const { name, values: size, library } = c;
        // "float16 encode, @petamoriken/float16 Float16Array#set (preallocated)": the path is the impl.
        const path = name.includes(",") ? name.slice(name.indexOf(",") + 1).trim() : library || name;
        addUnlessMeasured(
          ctx,
          caseTiming(c, {
            id: `${slug(name)}/${size}`,
            op: `float16.${c.op}, all paths (${bench.name})`,
            impl: path,
            role: library === "@quantkit/numeric" ? "quantkit" : "peer",
            backend: "js",
            size,
            sizeUnit: "elements",
            params: { library },
            samples: ctx.method.repetitions,
          }),
        );
      }
    }
    ctx.progress(1, "done");
  },
};
