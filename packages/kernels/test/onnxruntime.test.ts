/**
 * The CPU kernels beside onnxruntime-node (native ONNX Runtime, its CPU execution provider), on
 * one-node models written by ./_onnx.ts. The BigInt reference decides what is right: ours equal it on
 * every CPU. onnxruntime is a measured peer: MatMulInteger asserted bit for bit, QLinearMatMul (and the
 * com.microsoft QGemm, which has a bias) up to ORT's float requantization, only where the probe of
 * ./_peer.ts found its path exact on the running CPU (its uint8 x int8 sums saturate without VNNI).
 */
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { compareOutputs } from "../bench/gemmExactness";
import { type Int8Like, prepareQuantizedLinear } from "../src/index";
import { cpuBackends } from "./_backends";
import { onnxModel } from "./_onnx";
import { DTYPE_PAIRS, type DtypePair, describeExactness, probeMatmulInteger } from "./_peer";
import { refMatmulInteger, refQuantizedLinear, TestRng } from "./_reference";
import { saturatingMatmulInteger } from "./_saturatingPeer";

const backends = cpuBackends();
const sessions = new Map<string, Promise<ort.InferenceSession>>();
afterAll(async () => {
  for (const s of sessions.values()) await (await s).release();
});

function session(key: string, model: () => Uint8Array): Promise<ort.InferenceSession> {
  let s = sessions.get(key);
  if (!s) {
    s = ort.InferenceSession.create(model(), { intraOpNumThreads: 1, graphOptimizationLevel: "disabled" });
    sessions.set(key, s);
  }
  return s;
}

const typeOf = (a: Int8Like): "int8" | "uint8" => (a instanceof Int8Array ? "int8" : "uint8");
const scalar = (a: Int8Like, v: number) =>
  a instanceof Int8Array ? new Int8Array([v]) : new Uint8Array([v]);

async function ortMatmulInteger(
  a: Int8Like,
  b: Int8Like,
  m: number,
  k: number,
  n: number,
  za: number,
  zb: Int32Array,
) {
  const ta = typeOf(a);
  const tb = typeOf(b);
  const s = await session(`mmi:${ta}:${tb}:${m}:${k}:${n}`, () =>
    onnxModel(
      "MatMulInteger",
      [
        { name: "A", type: ta, dims: [m, k] },
        { name: "B", type: tb, dims: [k, n] },
        { name: "a_zero_point", type: ta, dims: [] },
        { name: "b_zero_point", type: tb, dims: [n] },
      ],
      [{ name: "Y", type: "int32", dims: [m, n] }],
    ),
  );
  const zbArray = b instanceof Int8Array ? Int8Array.from(zb) : Uint8Array.from(zb);
  const out = await s.run({
    A: new ort.Tensor(ta, a, [m, k]),
    B: new ort.Tensor(tb, b, [k, n]),
    a_zero_point: new ort.Tensor(ta, scalar(a, za), []),
    b_zero_point: new ort.Tensor(tb, zbArray, [n]),
  });
  return out.Y!.data as Int32Array;
}

// What the running CPU makes of onnxruntime's paths (see ./_peer.ts): asserted only where exact.
const probe = await probeMatmulInteger(ortMatmulInteger);
const peerNote = (pair: DtypePair) =>
  probe[pair].equal
    ? "onnxruntime asserted equal too (exact on this CPU's probe)"
    : `onnxruntime measured, not asserted (saturates on this CPU: probe ${describeExactness(probe[pair])})`;
const u8s8Exact = probe["uint8 x int8"].equal;

describe("matmulInteger against the BigInt reference, onnxruntime's MatMulInteger measured beside it", () => {
  const shapes = [
    [1, 1, 1],
    [3, 7, 5],
    [16, 64, 24],
    [33, 129, 17],
    [10, 784, 100],
  ] as const;
  for (const [i, pair] of DTYPE_PAIRS.entries()) {
    it(`${pair}: ours equal the reference on random shapes with per-column zero points; ${peerNote(pair)}`, async () => {
      const rng = new TestRng(41 + i);
      const [signedA, signedB] = [pair.startsWith("int8"), pair.endsWith(" int8")];
      const measured: string[] = [];
      for (const [m, k, n] of shapes) {
        const a = signedA ? rng.int8(m * k) : rng.uint8(m * k);
        const b = signedB ? rng.int8(k * n) : rng.uint8(k * n);
        const za = signedA ? rng.int(-128, 127) : rng.int(0, 255);
        const zb = new Int32Array(n).map(() => (signedB ? rng.int(-128, 127) : rng.int(0, 255)));
        const want = refMatmulInteger(a, b, m, k, n, za, zb);
        for (const { kernels } of backends) {
          expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: za, bZeroPoint: zb })).toEqual(want);
        }
        const theirs = compareOutputs(await ortMatmulInteger(a, b, m, k, n, za, zb), want);
        if (probe[pair].equal) expect(theirs).toMatchObject({ equal: true });
        measured.push(`${m}x${k}x${n}: ${describeExactness(theirs)}`);
      }
      console.info(`onnxruntime-node MatMulInteger ${pair} on this CPU: ${measured.join("; ")}`);
    });
  }

  it("uint8 x int8 with |b| <= 64 (two products fit int16): onnxruntime equals the reference on every CPU", async () => {
    // vpmaddubsw saturates a[2i] b[2i] + a[2i+1] b[2i+1] to int16; with |b| <= 64 that sum is at most
    // 2 x 255 x 64 = 32,640, so even the saturating path is exact. m >= 2: MLAS's GEMM kernel.
    const rng = new TestRng(47);
    for (const [m, k, n] of [
      [2, 7, 5],
      [16, 64, 24],
      [33, 300, 17],
    ] as const) {
      const a = rng.uint8(m * k);
      const b = new Int8Array(k * n).map(() => rng.int(-64, 63));
      const za = rng.int(0, 255);
      const zb = new Int32Array(n).map(() => rng.int(-128, 127));
      const want = refMatmulInteger(a, b, m, k, n, za, zb);
      expect(await ortMatmulInteger(a, b, m, k, n, za, zb)).toEqual(want);
      for (const { kernels } of backends) {
        expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: za, bZeroPoint: zb })).toEqual(want);
      }
    }
  });

  it("ours equal the reference on constant extremes (all -128, all 127, all 255), k = 1 and k = 65,536; onnxruntime where its path is exact", async () => {
    for (const k of [1, 65_536]) {
      const [m, n] = [3, 5];
      const cases: [Int8Like, Int8Like, number, number][] = [
        [new Int8Array(m * k).fill(-128), new Int8Array(k * n).fill(-128), 0, 0],
        [new Int8Array(m * k).fill(127), new Int8Array(k * n).fill(127), -128, -128],
        [new Uint8Array(m * k).fill(255), new Int8Array(k * n).fill(-128), 0, 127],
        [new Uint8Array(m * k).fill(255), new Uint8Array(k * n).fill(255), 0, 0],
      ];
      for (const [a, b, za, zb] of cases) {
        const zbs = new Int32Array(n).fill(zb);
        const want = refMatmulInteger(a, b, m, k, n, za, zbs);
        for (const { kernels } of backends) {
          expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: za, bZeroPoint: zb })).toEqual(want);
        }
        const pair = `${typeOf(a)} x ${typeOf(b)}` as DtypePair;
        const theirs = compareOutputs(await ortMatmulInteger(a, b, m, k, n, za, zbs), want);
        if (probe[pair].equal) expect(theirs).toMatchObject({ equal: true });
        else console.info(`onnxruntime-node MatMulInteger ${pair}, k = ${k}: ${describeExactness(theirs)}`);
      }
    }
  });
});

describe("the probe and the measurements catch a saturating peer (./_saturatingPeer.ts, ORT's path without VNNI)", () => {
  const zb1 = new Int32Array(1);
  it("the model saturates each pair (k, k + 1), k even, to int16 and adds the zero-point terms exactly", () => {
    const run = (a: number[], b: number[], za = 0) =>
      saturatingMatmulInteger(Uint8Array.from(a), Int8Array.from(b), 1, a.length, 1, za, zb1)[0];
    expect(run([255, 255], [127, 127])).toBe(32767); // exactly 64,770
    expect(run([255, 255], [-128, -128])).toBe(-32768); // exactly -65,280
    expect(run([255, 255, 255], [127, 127, 127])).toBe(32767 + 32385); // the odd k pads with 0
    expect(run([0, 255, 255, 0], [127, 127, 127, 127])).toBe(64770); // pairs (0, 1), (2, 3): no overflow
    expect(run([255, 255], [127, 127], 1)).toBe(32767 - 254); // - aZeroPoint * colSum(B), exact
    const s8 = Int8Array.from([127, 127]);
    expect(saturatingMatmulInteger(Int8Array.from([127, 127]), s8, 1, 2, 1, 0, zb1)[0]).toBe(32258);
  });

  it("the probe finds the model inexact for uint8 x int8 only, with the outputs it got wrong", async () => {
    const p = await probeMatmulInteger(saturatingMatmulInteger);
    // m = 1 and m = 4 rows x 4 columns, k = 8: the all-255 row against the all-127 and all-(-128)
    // columns, twice. 8 x 255 x -128 = -261,120 exactly, 4 x -32,768 = -131,072 saturated.
    expect(p["uint8 x int8"]).toMatchObject({ equal: false, differing: 4, outputs: 20, maxAbsDiff: 130_048 });
    for (const pair of DTYPE_PAIRS.slice(1)) expect(p[pair]).toMatchObject({ equal: true, outputs: 20 });
    expect(describeExactness(p["uint8 x int8"])).toBe("4 of 20 outputs differ (by up to 130,048)");
  });

  it("compareOutputs counts exactly the outputs whose pairs overflow int16, at any zero points", () => {
    const [m, k, n] = [8, 16, 8];
    const rng = new TestRng(61);
    const a = new Uint8Array(m * k).map(() => rng.int(0, 100)); // pairs <= 2 x 100 x 60: no overflow...
    const b = new Int8Array(k * n).map(() => rng.int(-60, 60));
    for (let p = 0; p < k; p++) {
      a[2 * k + p] = 255; // ...but rows 2 and 6 against columns 1 and 5
      a[6 * k + p] = 255;
      b[p * n + 1] = -128;
      b[p * n + 5] = 127;
    }
    const zb = new Int32Array(n).map(() => rng.int(-128, 127));
    const want = refMatmulInteger(a, b, m, k, n, 3, zb);
    const e = compareOutputs(saturatingMatmulInteger(a, b, m, k, n, 3, zb), want);
    // 8 pairs of (255 x -128) x 2 = -65,280 each, saturated to -32,768: 8 x 32,512 = 260,096 off.
    expect(e).toEqual({ equal: false, differing: 4, outputs: 64, maxAbsDiff: 260_096, first: 2 * n + 1 });
    for (const { kernels } of backends) {
      expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: 3, bZeroPoint: zb })).toEqual(want);
    }
  });
});

interface LinearCase {
  batch: number;
  inFeatures: number;
  outFeatures: number;
  x: Uint8Array;
  weight: Int8Array; // [out, in]
  weightScale: Float32Array;
  inputScale: number;
  inputZeroPoint: number;
  outputScale: number;
  outputZeroPoint: number;
  bias: Float32Array | null;
}

function linearCase(rng: TestRng, perChannel: boolean, withBias: boolean): LinearCase {
  const [batch, inFeatures, outFeatures] = [64, 784, 100];
  const f = (x: number) => Math.fround(x);
  const s = f(0.002 + rng.next() / 2 ** 32 / 200);
  return {
    batch,
    inFeatures,
    outFeatures,
    x: rng.uint8(batch * inFeatures),
    weight: rng.int8(outFeatures * inFeatures),
    weightScale: new Float32Array(outFeatures).map(() =>
      perChannel ? f(0.001 + rng.next() / 2 ** 32 / 500) : s,
    ),
    inputScale: f(1 / 255),
    inputZeroPoint: rng.int(0, 255),
    // The exact outputs spread over about +-100 codes around the zero point (few clamp), so that
    // many of them fall near a rounding boundary.
    outputScale: f((perChannel ? 0.6 : 1.4) * (0.05 + rng.next() / 2 ** 32 / 100)),
    outputZeroPoint: rng.int(100, 150),
    bias: withBias ? rng.float32(outFeatures, 3) : null,
  };
}

async function ortQLinear(c: LinearCase, perChannel: boolean): Promise<Uint8Array> {
  const { batch: m, inFeatures: k, outFeatures: n } = c;
  const wT = new Int8Array(k * n);
  for (let j = 0; j < n; j++) for (let kk = 0; kk < k; kk++) wT[kk * n + j] = c.weight[j * k + kk]!;
  const bDims = perChannel ? [n] : [];
  const s = await session(`qlmm:${perChannel}`, () =>
    onnxModel(
      "QLinearMatMul",
      [
        { name: "a", type: "uint8", dims: [m, k] },
        { name: "a_scale", type: "float", dims: [] },
        { name: "a_zero_point", type: "uint8", dims: [] },
        { name: "b", type: "int8", dims: [k, n] },
        { name: "b_scale", type: "float", dims: bDims },
        { name: "b_zero_point", type: "int8", dims: bDims },
        { name: "y_scale", type: "float", dims: [] },
        { name: "y_zero_point", type: "uint8", dims: [] },
      ],
      [{ name: "y", type: "uint8", dims: [m, n] }],
    ),
  );
  const out = await s.run({
    a: new ort.Tensor("uint8", c.x, [m, k]),
    a_scale: new ort.Tensor("float32", new Float32Array([c.inputScale]), []),
    a_zero_point: new ort.Tensor("uint8", new Uint8Array([c.inputZeroPoint]), []),
    b: new ort.Tensor("int8", wT, [k, n]),
    b_scale: new ort.Tensor("float32", perChannel ? c.weightScale : c.weightScale.subarray(0, 1), bDims),
    b_zero_point: new ort.Tensor("int8", new Int8Array(perChannel ? n : 1), bDims),
    y_scale: new ort.Tensor("float32", new Float32Array([c.outputScale]), []),
    y_zero_point: new ort.Tensor("uint8", new Uint8Array([c.outputZeroPoint]), []),
  });
  return out.y!.data as Uint8Array;
}

async function ortQGemm(c: LinearCase, biasInt32: Int32Array): Promise<Uint8Array> {
  const { batch: m, inFeatures: k, outFeatures: n } = c;
  const s = await session("qgemm", () =>
    onnxModel(
      "QGemm",
      [
        { name: "A", type: "uint8", dims: [m, k] },
        { name: "a_scale", type: "float", dims: [] },
        { name: "a_zero_point", type: "uint8", dims: [] },
        { name: "B", type: "int8", dims: [n, k] },
        { name: "b_scale", type: "float", dims: [] },
        { name: "b_zero_point", type: "int8", dims: [] },
        { name: "C", type: "int32", dims: [n] },
        { name: "y_scale", type: "float", dims: [] },
        { name: "y_zero_point", type: "uint8", dims: [] },
      ],
      [{ name: "Y", type: "uint8", dims: [m, n] }],
      { domain: "com.microsoft", intAttributes: { transB: 1 } },
    ),
  );
  const out = await s.run({
    A: new ort.Tensor("uint8", c.x, [m, k]),
    a_scale: new ort.Tensor("float32", new Float32Array([c.inputScale]), []),
    a_zero_point: new ort.Tensor("uint8", new Uint8Array([c.inputZeroPoint]), []),
    B: new ort.Tensor("int8", c.weight, [n, k]),
    b_scale: new ort.Tensor("float32", c.weightScale.subarray(0, 1), []),
    b_zero_point: new ort.Tensor("int8", new Int8Array(1), []),
    C: new ort.Tensor("int32", biasInt32, [n]),
    y_scale: new ort.Tensor("float32", new Float32Array([c.outputScale]), []),
    y_zero_point: new ort.Tensor("uint8", new Uint8Array([c.outputZeroPoint]), []),
  });
  return out.Y!.data as Uint8Array;
}

describe("quantizedLinear against onnxruntime's float requantization", () => {
  // ORT requantizes with a float32 multiply (acc * a_scale * b_scale / y_scale) and rounds half to
  // even; quantkit uses TFLite's fixed-point multiplier and gemmlowp's rounding. They may differ by
  // one code where the exact value lies near a rounding boundary (or where gemmlowp's two roundings
  // differ from one). Measured with ORT 1.30 over 40 seeded 64 x 784 x 100 cases like these (256,000
  // outputs each): largest difference 1; per-tensor scales 16 outputs differ (0.006%), per-channel
  // 53 (0.021%). The seeded cases below: per-tensor 0 of 6,400, per-channel 2 of 6,400 (0.03%), QGemm
  // with bias 0 of 6,400. The assertions: largest difference at most 1, on under 0.5% of outputs,
  // where the probe found ORT's uint8 x int8 sums exact (on a CPU without VNNI they saturate before
  // requantization: seen there, up to 33 codes apart). Ours equal the integer reference everywhere.
  const TOTAL = 64 * 100;
  const against = u8s8Exact
    ? "off by at most 1 from onnxruntime on < 0.5% of outputs"
    : "onnxruntime measured, not asserted (its uint8 x int8 sums saturate on this CPU)";

  /** Asserts ORT's closeness where its sums are exact; reports what it measured everywhere. */
  function checkPeer(what: string, ours: Uint8Array, theirs: Uint8Array, report: boolean): void {
    const { maxAbsDiff: maxDiff, differing } = compareOutputs(theirs, ours);
    if (u8s8Exact) {
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(differing / TOTAL).toBeLessThan(0.005);
    }
    if (report) {
      console.info(
        `${what}: largest difference ${maxDiff}, ${differing} of ${TOTAL} outputs (${((100 * differing) / TOTAL).toFixed(2)}%)${u8s8Exact ? "" : ", onnxruntime's sums saturating on this CPU"}`,
      );
    }
  }

  for (const perChannel of [false, true]) {
    it(`QLinearMatMul (${perChannel ? "per-channel" : "per-tensor"} weight scales): ours equal the reference; ${against}`, async () => {
      const rng = new TestRng(perChannel ? 52 : 51);
      const c = linearCase(rng, perChannel, false);
      const theirs = await ortQLinear(c, perChannel);
      for (const relu of [false, true]) {
        const { x: _x, batch: _batch, ...params } = c;
        const layer = prepareQuantizedLinear({
          ...params,
          weightScale: perChannel ? c.weightScale : c.weightScale[0]!,
          relu,
        });
        const want = refQuantizedLinear(c.x, layer, c.batch);
        const expected = relu ? theirs.map((v) => Math.max(v, c.outputZeroPoint)) : theirs;
        for (const { kernels } of backends) {
          const ours = kernels.quantizedLinear(c.x, layer, c.batch);
          expect(ours).toEqual(want);
          const what = `QLinearMatMul ${perChannel ? "per-channel" : "per-tensor"}`;
          checkPeer(what, ours, expected, !relu && kernels === backends[0]!.kernels);
        }
      }
    });
  }

  it(`com.microsoft QGemm with the layer's int32 bias: ours equal the reference; ${against}`, async () => {
    const rng = new TestRng(53);
    const c = linearCase(rng, false, true);
    const { x: _x, batch: _batch, ...params } = c;
    const layer = prepareQuantizedLinear({ ...params, weightScale: c.weightScale[0]! });
    const want = refQuantizedLinear(c.x, layer, c.batch);
    const theirs = await ortQGemm(c, layer.bias);
    for (const { kernels } of backends) {
      const ours = kernels.quantizedLinear(c.x, layer, c.batch);
      expect(ours).toEqual(want);
      checkPeer("QGemm with bias", ours, theirs, kernels === backends[0]!.kernels);
    }
  });
});
