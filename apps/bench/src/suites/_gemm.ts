import type { Rng } from "@quantkit/tensor";
import { compareOutputs, referenceMatmulInteger } from "../../../../packages/kernels/bench/gemmExactness";
import type { MeasuredVariant, SuiteContext } from "../context";
import { describeExactness } from "../exactness";
import type { Exactness } from "../schema";
import { type OrtGemm, ortMatmulF32, ortMatmulInteger } from "./_ort";
import { ORT_WEB_BACKEND, type OrtWebGemm, ortWebMatmulF32, ortWebMatmulInteger } from "./_ortWeb";
import type { Kernels, QuantizedConv2dLayer } from "./_relabel";

/** What the records name as their reference. */
export const GEMM_REFERENCE =
  "plain-loop MatMulInteger of packages/kernels/bench/gemmExactness.ts (exact sums, wrapped to int32)";

/** Threads a backend runs its GEMMs on (CpuKernels says; 1 otherwise). */
const threadsOf = (k: Kernels): number => {
  const t = (k as { threads?: unknown }).threads;
  return typeof t === "number" && t >= 1 ? t : 1;
};

/** The shape the headline int8/fp32 and ours-vs-ORT ratios are quoted at. */
const HEADLINE_SHAPE = "256x256x256";

const GMAC = { unit: "GMAC/s", per: 1e9 };

/** One note per inexact implementation and backend (the counts per shape are in the exactness records). */
export const _inexactNote = (label: string, backend: string) =>
  `${label} (${backend}) differs from the reference on this CPU (see exactness, per shape); still timed`;

/** The zero point of A in every GEMM case (uint8 codes centred on 128, as PyTorch's quint8 activations). */
export const GEMM_A_ZERO_POINT = 128;

/**
 * The operands of one GEMM case, drawn from `rng` in this order: uint8 A [m, k], int8 B [k, n] (full
 * range), then float32 A and B (standard normal).
 */
export function gemmOperands(shape: readonly [number, number, number], rng: Rng) {
  const [m, k, n] = shape;
  const a8 = new Uint8Array(m * k).map(() => rng.int(256));
  const b8 = new Int8Array(k * n).map(() => rng.int(256) - 128);
  const a32 = rng.fillNormal(new Float32Array(m * k));
  const b32 = rng.fillNormal(new Float32Array(k * n));
  return { a8, b8, a32, b32 };
}

/**
 * Times int8 and fp32 GEMM of every backend and onnxruntime-node's MatMulInteger and MatMul on the same
 * inputs in the same rounds; records the paired ratios int8/fp32 per backend and ours/onnxruntime. First
 * every int8 result (ours and onnxruntime's, per thread count) is compared with the plain-loop reference
 * and recorded as exactness: one of ours that differs fails the suite (untimed); an inexact onnxruntime
 * (its uint8 x int8 kernel saturates on x86 CPUs without VNNI) is noted and still timed. The headline
 * ratios are those of the fastest int8 backend at 256x256x256 when `headline` is true. `int8Peer`
 * stands in for onnxruntime-node's MatMulInteger (the tests give it a saturating model's results).
 */
export async function measureGemm(
  ctx: SuiteContext,
  backends: Kernels[],
  shape: [number, number, number],
  rng: Rng,
  headlineAllowed = true,
  int8Peer: typeof ortMatmulInteger = ortMatmulInteger,
) {
  const [m, k, n] = shape;
  const label = `${m}x${k}x${n}`;
  const aZeroPoint = GEMM_A_ZERO_POINT;
  const { a8, b8, a32, b32 } = gemmOperands(shape, rng);
  const outI = new Int32Array(m * n);
  const outF = new Float32Array(m * n);
  // onnxruntime with the same thread counts as the backends (1, and N for a threaded path).
  const threadCounts = [...new Set([1, ...backends.map(threadsOf)])].sort((x, y) => x - y);
  const ort = new Map<number, { int8: OrtGemm; fp32: OrtGemm }>();
  for (const t of threadCounts) {
    ort.set(t, {
      int8: await int8Peer(a8, b8, m, k, n, aZeroPoint, t),
      fp32: await ortMatmulF32(a32, b32, m, k, n, t),
    });
  }
  // onnxruntime-web (WebAssembly, one thread) on the same inputs: the JS peer. Where it does not load,
  // the suite says so and goes on without it.
  let web: { int8: OrtWebGemm; fp32: OrtWebGemm } | null = null;
  try {
    web = {
      int8: await ortWebMatmulInteger(a8, b8, m, k, n, aZeroPoint),
      fp32: await ortWebMatmulF32(a32, b32, m, k, n),
    };
  } catch (error) {
    ctx.note(`onnxruntime-web not measured: ${(error as Error).message.split("\n")[0]}`);
  }
  const webId = (op: string) => `${op}/onnxruntime-web/${ORT_WEB_BACKEND}/${label}`;
  const common = { op: "", size: m * k * n, sizeUnit: "MACs", shape: label, throughput: GMAC };
  const ortBackend = (t: number) => (t === 1 ? "ort-cpu" : `ort-cpu x${t} threads`);
  const ortId = (op: string, t: number) =>
    `${op}/onnxruntime-node/${ortBackend(t).replace(/ /g, "-")}/${label}`;
  // The reference decides; ours and onnxruntime are both measured against it on the same inputs.
  const reference = referenceMatmulInteger(a8, b8, m, k, n, aZeroPoint);
  const record = (id: string, impl: string, backend: string, what: string, out: ArrayLike<number>) => {
    const { first, ...c } = compareOutputs(out, reference);
    const e: Exactness = {
      id,
      op: "gemm.int8",
      impl,
      backend,
      shape: label,
      label: what,
      reference: GEMM_REFERENCE,
      ...c,
      timing: null,
    };
    return { e, first, out };
  };
  const checks = [
    ...backends.map((kern) =>
      record(
        `gemm.int8/quantkit/${kern.backend}/${label}`,
        "quantkit",
        kern.backend,
        "quantkit matmulInteger",
        kern.matmulInteger(a8, b8, { m, k, n, aZeroPoint, bZeroPoint: 0 }),
      ),
    ),
  ];
  for (const t of threadCounts) {
    const theirs = await ort.get(t)!.int8.result();
    checks.push(
      record(
        ortId("gemm.int8", t),
        "onnxruntime-node",
        ortBackend(t),
        "onnxruntime-node MatMulInteger",
        theirs,
      ),
    );
  }
  if (web)
    checks.push(
      record(
        webId("gemm.int8"),
        "onnxruntime-web",
        ORT_WEB_BACKEND,
        "onnxruntime-web MatMulInteger",
        await web.int8.result(),
      ),
    );
  const wrong = checks.find((c) => c.e.impl === "quantkit" && !c.e.equal);
  if (wrong) {
    // Ours must be exact: record what was measured (untimed) and fail the suite.
    for (const c of checks) ctx.exact(c.e);
    const { e, first, out } = wrong;
    throw new Error(
      `${e.backend} matmulInteger ${label} differs from the reference: ${describeExactness(e)}; first at [${first}]: ${out[first]} vs ${reference[first]}`,
    );
  }
  for (const { e } of checks.filter((c) => !c.e.equal)) {
    ctx.note(_inexactNote(e.label, e.backend));
  }
  const variants: MeasuredVariant[] = [
    ...backends.flatMap((kern): MeasuredVariant[] => [
      {
        ...common,
        id: `gemm.int8/quantkit/${kern.backend}/${label}`,
        op: "gemm.int8",
        impl: "quantkit",
        role: "quantkit",
        backend: kern.backend,
        params: { m, k, n, aZeroPoint, threads: threadsOf(kern) },
        run: () => kern.matmulInteger(a8, b8, { m, k, n, aZeroPoint, bZeroPoint: 0, out: outI }),
      },
      {
        ...common,
        id: `gemm.fp32/quantkit/${kern.backend}/${label}`,
        op: "gemm.fp32",
        impl: "quantkit",
        role: "quantkit",
        backend: kern.backend,
        params: { m, k, n, threads: threadsOf(kern) },
        run: () => kern.matmulF32(a32, b32, { m, k, n, out: outF }),
      },
    ]),
    ...threadCounts.flatMap((t): MeasuredVariant[] => [
      {
        ...common,
        id: ortId("gemm.int8", t),
        op: "gemm.int8",
        impl: "onnxruntime-node",
        role: "peer",
        backend: ortBackend(t),
        params: { m, k, n, aZeroPoint, threads: t, op: "MatMulInteger" },
        run: ort.get(t)!.int8.run,
      },
      {
        ...common,
        id: ortId("gemm.fp32", t),
        op: "gemm.fp32",
        impl: "onnxruntime-node",
        role: "peer",
        backend: ortBackend(t),
        params: { m, k, n, threads: t, op: "MatMul" },
        run: ort.get(t)!.fp32.run,
      },
    ]),
    ...(web
      ? [
          {
            ...common,
            id: webId("gemm.int8"),
            op: "gemm.int8",
            impl: "onnxruntime-web",
            role: "peer" as const,
            backend: ORT_WEB_BACKEND,
            params: { m, k, n, aZeroPoint, threads: 1, op: "MatMulInteger" },
            run: web.int8.run,
          },
          {
            ...common,
            id: webId("gemm.fp32"),
            op: "gemm.fp32",
            impl: "onnxruntime-web",
            role: "peer" as const,
            backend: ORT_WEB_BACKEND,
            params: { m, k, n, threads: 1, op: "MatMul" },
            run: web.fp32.run,
          },
        ]
      : []),
  ];
  const timings = await ctx.measure(variants);
  for (const { e } of checks) ctx.exact({ ...e, timing: e.id }); // each check's id is its timing's
  for (const o of [...ort.values(), ...(web ? [web] : [])]) {
    await o.int8.release();
    await o.fp32.release();
  }
  const headline = headlineAllowed && label === HEADLINE_SHAPE;
  // The headline quotes the fastest single-threaded int8 backend of this run, against single-threaded
  // onnxruntime: worker threads on a shared 2-core machine are at the mercy of the other processes.
  const best = timings
    .filter((t) => t.op === "gemm.int8" && t.impl === "quantkit" && t.params.threads === 1)
    .sort((x, y) => x.medianMs - y.medianMs)[0]?.backend;
  for (const kern of backends) {
    const b = kern.backend;
    const int8 = `gemm.int8/quantkit/${b}/${label}`;
    const fp32 = `gemm.fp32/quantkit/${b}/${label}`;
    const isBest = headline && b === best;
    ctx.ratio(`gemm/int8-vs-fp32/${b}/${label}`, `int8 / fp32 GEMM, ${b}, ${label}`, int8, fp32, isBest);
    ctx.ratio(
      `gemm/int8-vs-ort/${b}/${label}`,
      `int8 GEMM, quantkit ${b} / onnxruntime MatMulInteger${threadsOf(kern) > 1 ? ` x${threadsOf(kern)} threads` : ""}, ${label}`,
      int8,
      ortId("gemm.int8", threadsOf(kern)),
      isBest,
    );
    ctx.ratio(
      `gemm/fp32-vs-ort/${b}/${label}`,
      `fp32 GEMM, quantkit ${b} / onnxruntime MatMul${threadsOf(kern) > 1 ? ` x${threadsOf(kern)} threads` : ""}, ${label}`,
      fp32,
      ortId("gemm.fp32", threadsOf(kern)),
      isBest,
    );
    // Against onnxruntime-web (one WebAssembly thread): only our single-threaded backends.
    if (web && threadsOf(kern) === 1) {
      ctx.ratio(
        `gemm/int8-vs-ort-web/${b}/${label}`,
        `int8 GEMM, quantkit ${b} / onnxruntime-web MatMulInteger (wasm), ${label}`,
        int8,
        webId("gemm.int8"),
        isBest,
      );
      ctx.ratio(
        `gemm/fp32-vs-ort-web/${b}/${label}`,
        `fp32 GEMM, quantkit ${b} / onnxruntime-web MatMul (wasm), ${label}`,
        fp32,
        webId("gemm.fp32"),
      );
    }
  }
  ctx.ratio(
    `gemm/ort-int8-vs-fp32/${label}`,
    `onnxruntime MatMulInteger / MatMul, ${label}`,
    ortId("gemm.int8", 1),
    ortId("gemm.fp32", 1),
  );
}

/**
 * Times quantizedConv2d of every backend on the same layer (after checking they agree bit for bit), and
 * the fp32 conv2dF32 of the backends that have it in the same rounds, with the int8 / fp32 ratio.
 */
export async function measureConv(
  ctx: SuiteContext,
  backends: Kernels[],
  shape: [number, number, number, number, number],
  rng: Rng,
) {
  const [batch, inC, outC, size, kernel] = shape;
  const pad = kernel >> 1;
  const layer: QuantizedConv2dLayer = {
    inChannels: inC,
    outChannels: outC,
    kernelH: kernel,
    kernelW: kernel,
    strideH: 1,
    strideW: 1,
    padH: pad,
    padW: pad,
    dilationH: 1,
    dilationW: 1,
    groups: 1,
    weight: new Int8Array(outC * inC * kernel * kernel).map(() => rng.int(255) - 127),
    inputZeroPoint: 128,
    outputZeroPoint: 0,
    bias: new Int32Array(outC).map(() => rng.int(2001) - 1000),
    // A real multiplier (about 0.7 * 2^-10) and per-channel shifts, as convert would produce.
    multiplier: new Int32Array(outC).fill(1518500250),
    shift: new Int32Array(outC).fill(-10),
    outputMin: 0,
    outputMax: 255,
  };
  const x = new Uint8Array(batch * inC * size * size).map(() => rng.int(256));
  const xf = rng.fillNormal(new Float32Array(batch * inC * size * size));
  const wf = rng.fillNormal(new Float32Array(outC * inC * kernel * kernel), 0, 0.1);
  const macs = batch * outC * size * size * inC * kernel * kernel;
  const label = `${batch}x${inC}x${size}x${size}->${outC},${kernel}x${kernel}`;
  const out = new Uint8Array(batch * outC * size * size);
  const outF = new Float32Array(batch * outC * size * size);
  const input = { batch, height: size, width: size };
  const first = backends[0]!.quantizedConv2d!(x, layer, input);
  for (const kern of backends.slice(1)) {
    const other = kern.quantizedConv2d!(x, layer, input);
    const bad = other.findIndex((v, i) => v !== first[i]);
    if (bad >= 0)
      throw new Error(
        `${kern.backend} quantizedConv2d ${label} differs from ${backends[0]!.backend} at [${bad}]`,
      );
  }
  const common = {
    size: macs,
    sizeUnit: "MACs",
    shape: label,
    params: { batch, inChannels: inC, outChannels: outC, height: size, width: size, kernel },
    throughput: GMAC,
  };
  const fp32Options = {
    batch,
    inChannels: inC,
    height: size,
    width: size,
    outChannels: outC,
    kernelSize: kernel,
    padding: pad,
    out: outF,
  };
  await ctx.measure(
    backends.flatMap((kern): MeasuredVariant[] => [
      {
        ...common,
        id: `conv2d.int8/quantkit/${kern.backend}/${label}`,
        op: "conv2d.int8",
        impl: "quantkit",
        role: "quantkit",
        backend: kern.backend,
        run: () => kern.quantizedConv2d!(x, layer, input, out),
      },
      ...(kern.conv2dF32
        ? [
            {
              ...common,
              id: `conv2d.fp32/quantkit/${kern.backend}/${label}`,
              op: "conv2d.fp32",
              impl: "quantkit",
              role: "quantkit" as const,
              backend: kern.backend,
              run: () => kern.conv2dF32!(xf, wf, fp32Options),
            },
          ]
        : []),
    ]),
  );
  for (const kern of backends.filter((k) => k.conv2dF32)) {
    ctx.ratio(
      `conv2d/int8-vs-fp32/${kern.backend}/${label}`,
      `int8 / fp32 conv2d, ${kern.backend}, ${label}`,
      `conv2d.int8/quantkit/${kern.backend}/${label}`,
      `conv2d.fp32/quantkit/${kern.backend}/${label}`,
    );
  }
}
