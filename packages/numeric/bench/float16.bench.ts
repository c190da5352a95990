/**
 * float16 encode / decode throughput: @quantkit/numeric against @petamoriken/float16 (the npm float16
 * library), in the same run, on the same data, interleaved round by round so that a noisy machine
 * slows both alike.
 *
 *   npx tsx --conditions=@quantkit/source packages/numeric/bench/float16.bench.ts [--n 16777216] [--repeats 9]
 *   (from the repo root; `pnpm --filter @quantkit/numeric bench` runs the same)
 *
 * The peer's bulk paths, all measured: `new Float16Array(float32Array)` (allocates, like our
 * encodeArray without `out`), `float16Array.set(float32Array)` into a preallocated array (like ours
 * with `out`), and a `setFloat16` DataView loop; for decode an indexed read loop `out[i] = f16[i]`
 * and a `getFloat16` loop. The ratio is taken against the fastest of them in the same run. The
 * per-element paths of the peer run at about 1 M values/s or less, so they are timed on the first
 * `slowValues` (2^18) values only; their rate is still per value.
 */
import { Float16Array, getFloat16, setFloat16 } from "@petamoriken/float16";
import { float16 } from "../src/index";

/** See {@link Float16BenchOptions.distribution}. */
export type Float16BenchDistribution = "spread" | "normal" | "bits";

export interface Float16BenchOptions {
  /** Values per array (default 2^24 = 16,777,216). */
  n?: number;
  /** Timed repetitions per case (default 9); the median, min and max are reported. */
  repeats?: number;
  /** Untimed warm-up rounds per case (default 2), so that every function is optimized before timing. */
  warmup?: number;
  /**
   * The input values: `"spread"` (default): N(0, 1) x 2^k with k uniform in -12..11, every float16
   * binade from subnormals to overflow; `"normal"`: N(0, 1), like weights and activations, nearly all
   * float16 normals (the peer's fastest case); `"bits"`: uniformly random float32 bit patterns (any
   * exponent, NaN and Infinity included), the worst case for branchy code.
   */
  distribution?: Float16BenchDistribution;
  /** Seed of the input data (default 16). */
  seed?: number;
  /**
   * Values for the peer's per-element paths (setFloat16 / getFloat16 DataView loops and the indexed
   * read loop through its Proxy), default min(n, 2^18): they run at about 1 M values/s or less, so
   * 16M values would take minutes per repetition. Their rate is per value either way.
   */
  slowValues?: number;
}

export interface Float16BenchResult {
  /** What ran, e.g. "float16 encodeArray, quantkit (out preallocated)". */
  name: string;
  library: "@quantkit/numeric" | "@petamoriken/float16";
  op: "encode" | "decode";
  /** Values converted per run. */
  values: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Millions of values per second: median (from medianMs), min (from maxMs), max (from minMs). */
  mValuesPerSec: { median: number; min: number; max: number };
  /** For quantkit cases: speed / the peer's fastest case of the same op in this run. */
  ratioToPeerFastest?: number;
}

/** splitmix32, so that the data do not depend on another package. */
function uint32s(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/** The benchmark input: `n` float32 values of the chosen distribution. */
export function float16BenchInput(
  n: number,
  distribution: Float16BenchDistribution = "spread",
  seed = 16,
): Float32Array {
  const next = uint32s(seed);
  const x = new Float32Array(n);
  if (distribution === "bits") {
    new Uint32Array(x.buffer).forEach((_, i, a) => {
      a[i] = next();
    });
    return x;
  }
  for (let i = 0; i < n; i++) {
    // Box-Muller from two 32-bit uniforms (u1 in (0, 1]).
    const u1 = (next() + 1) / 4294967296;
    const u2 = next() / 4294967296;
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    x[i] = distribution === "normal" ? z : z * 2 ** ((next() % 24) - 12);
  }
  return x;
}

interface Case {
  name: string;
  values: number;
  library: Float16BenchResult["library"];
  op: Float16BenchResult["op"];
  run: () => void;
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/**
 * Measures float16 encodeArray / decodeArray of @quantkit/numeric and the bulk paths of
 * @petamoriken/float16 on the same `n` values. Checks first that both libraries give identical bits
 * (and throws if not: a fast wrong answer is not a result).
 *
 * @example
 * const results = await benchFloat16({ n: 1 << 20, repeats: 5 });
 * results.find((r) => r.name.includes("quantkit"))?.mValuesPerSec.median; // e.g. 250
 */
export async function benchFloat16(options: Float16BenchOptions = {}): Promise<Float16BenchResult[]> {
  const { n = 1 << 24, repeats = 9, warmup = 2, distribution = "spread", seed = 16 } = options;
  const slow = Math.min(n, options.slowValues ?? 1 << 18);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`options.n must be a positive integer, got ${n}`);
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new RangeError(`options.repeats must be a positive integer, got ${repeats}`);
  }
  const x = float16BenchInput(n, distribution, seed);

  // Correctness first: the same bits from both libraries. NaN is the one difference by design: the
  // peer passes float32 NaN payload bits through, quantkit writes the canonical 0x7e00 (the bits the
  // scalar encode(NaN) gives), so any two NaN patterns count as equal.
  const ours = float16.encodeArray(x);
  const theirs = new Uint16Array(new Float16Array(x).buffer);
  const isNaN16 = (b: number) => (b & 0x7fff) > 0x7c00;
  for (let i = 0; i < n; i++) {
    if (ours[i] !== theirs[i] && !(isNaN16(ours[i]!) && isNaN16(theirs[i]!))) {
      throw new Error(
        `float16 bits differ at [${i}] = ${x[i]}: quantkit 0x${ours[i]!.toString(16)}, peer 0x${theirs[i]!.toString(16)}`,
      );
    }
  }

  const bits = new Uint16Array(n);
  const back = new Float32Array(n);
  const peer = new Float16Array(n);
  const peerView = new DataView(new ArrayBuffer(2 * slow));
  peer.set(x);
  float16.encodeArray(x, bits);
  let sink = 0;
  const cases: Case[] = [
    {
      name: "float16 encodeArray, quantkit (out preallocated)",
      values: n,
      library: "@quantkit/numeric",
      op: "encode",
      run: () => float16.encodeArray(x, bits),
    },
    {
      name: "float16 encodeArray, quantkit (allocating)",
      values: n,
      library: "@quantkit/numeric",
      op: "encode",
      run: () => {
        sink += float16.encodeArray(x).length;
      },
    },
    {
      name: "float16 encode, @petamoriken/float16 Float16Array#set (preallocated)",
      values: n,
      library: "@petamoriken/float16",
      op: "encode",
      run: () => peer.set(x),
    },
    {
      name: "float16 encode, @petamoriken/float16 new Float16Array(float32Array)",
      values: n,
      library: "@petamoriken/float16",
      op: "encode",
      run: () => {
        sink += new Float16Array(x).length;
      },
    },
    {
      name: "float16 encode, @petamoriken/float16 setFloat16 loop (DataView)",
      values: slow,
      library: "@petamoriken/float16",
      op: "encode",
      run: () => {
        for (let i = 0; i < slow; i++) setFloat16(peerView, 2 * i, x[i]!, true);
      },
    },
    {
      name: "float16 decodeArray, quantkit (out preallocated)",
      values: n,
      library: "@quantkit/numeric",
      op: "decode",
      run: () => float16.decodeArray(bits, back),
    },
    {
      name: "float16 decode, @petamoriken/float16 indexed read loop",
      values: slow,
      library: "@petamoriken/float16",
      op: "decode",
      run: () => {
        for (let i = 0; i < slow; i++) back[i] = peer[i]!;
      },
    },
    {
      name: "float16 decode, @petamoriken/float16 getFloat16 loop (DataView)",
      values: slow,
      library: "@petamoriken/float16",
      op: "decode",
      run: () => {
        for (let i = 0; i < slow; i++) back[i] = getFloat16(peerView, 2 * i, true);
      },
    },
  ];

  for (let w = 0; w < warmup; w++) for (const c of cases) c.run();
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    // Rotate the order every round: no case always runs right after the same neighbour.
    for (let k = 0; k < cases.length; k++) {
      const j = (k + r) % cases.length;
      const t0 = performance.now();
      cases[j]!.run();
      times[j]!.push(performance.now() - t0);
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // let a caller's progress bar draw
  }
  if (sink < 0) console.log(sink); // keeps the allocating runs observable

  const results: Float16BenchResult[] = cases.map((c, j) => {
    const t = times[j]!.sort((a, b) => a - b);
    const medianMs = median(t);
    const minMs = t[0]!;
    const maxMs = t[t.length - 1]!;
    const rate = (ms: number) => c.values / ms / 1e3;
    return {
      name: c.values === n ? c.name : `${c.name} [on ${c.values.toLocaleString("en")} values]`,
      library: c.library,
      op: c.op,
      values: c.values,
      medianMs,
      minMs,
      maxMs,
      mValuesPerSec: { median: rate(medianMs), min: rate(maxMs), max: rate(minMs) },
    };
  });
  for (const r of results) {
    if (r.library !== "@quantkit/numeric") continue;
    const peers = results.filter((p) => p.op === r.op && p.library === "@petamoriken/float16");
    const best = Math.max(...peers.map((p) => p.mValuesPerSec.median));
    r.ratioToPeerFastest = r.mValuesPerSec.median / best;
  }
  return results;
}

function table(results: Float16BenchResult[]): string {
  const f = (v: number) => v.toFixed(1).padStart(7);
  const rows = results.map(
    (r) =>
      `${r.name.padEnd(92)} ${f(r.mValuesPerSec.median)} ${f(r.mValuesPerSec.min)} ${f(r.mValuesPerSec.max)}  ${
        r.ratioToPeerFastest === undefined ? "" : `${r.ratioToPeerFastest.toFixed(2)}x`
      }`,
  );
  return [`${"case".padEnd(92)}  median     min     max  (M values/s)  vs peer's fastest`, ...rows].join(
    "\n",
  );
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split(/[\\/]/).pop()!);
if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const n = Number(arg("n") ?? 2 ** 24);
  const repeats = Number(arg("repeats") ?? 9);
  const dists = (arg("distribution") ?? "spread,normal,bits").split(",") as Float16BenchDistribution[];
  const { cpus, loadavg } = await import("node:os");
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} x ${cpus().length}; ` +
      `${n.toLocaleString("en")} values, ${repeats} timed repetitions after 2 warm-up rounds`,
  );
  for (const distribution of dists) {
    console.log(`\ninput: ${distribution} (load average ${loadavg()[0]!.toFixed(1)})`);
    console.log(table(await benchFloat16({ n, repeats, distribution })));
  }
}
