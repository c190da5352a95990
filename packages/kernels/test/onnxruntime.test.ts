/**
 * The CPU kernels against onnxruntime-node (native ONNX Runtime, its CPU execution provider), on
 * one-node models written by ./_onnx.ts: MatMulInteger bit for bit; QLinearMatMul (and the
 * com.microsoft QGemm, which has a bias) up to ORT's float requantization.
 */
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { type Int8Like, prepareQuantizedLinear } from "../src/index";
import { cpuBackends } from "./_backends";
import { onnxModel } from "./_onnx";
import { refMatmulInteger, TestRng } from "./_reference";

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

describe("matmulInteger against onnxruntime's MatMulInteger", () => {
  it("is bit for bit equal on random shapes, every dtype pair, per-column zero points", async () => {
    const rng = new TestRng(41);
    const shapes = [
      [1, 1, 1],
      [3, 7, 5],
      [16, 64, 24],
      [33, 129, 17],
      [10, 784, 100],
    ] as const;
    for (const [m, k, n] of shapes) {
      for (const [signedA, signedB] of [
        [false, true],
        [false, false],
        [true, true],
        [true, false],
      ] as const) {
        const a = signedA ? rng.int8(m * k) : rng.uint8(m * k);
        const b = signedB ? rng.int8(k * n) : rng.uint8(k * n);
        const za = signedA ? rng.int(-128, 127) : rng.int(0, 255);
        const zb = new Int32Array(n).map(() => (signedB ? rng.int(-128, 127) : rng.int(0, 255)));
        const want = await ortMatmulInteger(a, b, m, k, n, za, zb);
        expect(want).toEqual(refMatmulInteger(a, b, m, k, n, za, zb)); // ORT agrees with the definition
        for (const { kernels } of backends) {
          expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: za, bZeroPoint: zb })).toEqual(want);
        }
      }
    }
  });

  it("is bit for bit equal on constant extremes (all -128, all 127, all 255), k = 1 and k = 65,536", async () => {
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
        const want = await ortMatmulInteger(a, b, m, k, n, za, zbs);
        for (const { kernels } of backends) {
          expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: za, bZeroPoint: zb })).toEqual(want);
        }
      }
    }
  });
});

/** Differences between our codes and ORT's: largest |d| and how many outputs differ. */
function compare(ours: Uint8Array, theirs: Uint8Array): { maxDiff: number; differing: number } {
  let maxDiff = 0;
  let differing = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i]! - theirs[i]!);
    if (d > 0) differing++;
    maxDiff = Math.max(maxDiff, d);
  }
  return { maxDiff, differing };
}

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
  // with bias 0 of 6,400. The assertions: largest difference at most 1, on under 0.5% of outputs.
  const TOTAL = 64 * 100;

  for (const perChannel of [false, true]) {
    it(`QLinearMatMul (${perChannel ? "per-channel" : "per-tensor"} weight scales): off by at most 1 on < 0.5% of outputs`, async () => {
      const rng = new TestRng(perChannel ? 52 : 51);
      const c = linearCase(rng, perChannel, false);
      const theirs = await ortQLinear(c, perChannel);
      for (const relu of [false, true]) {
        const layer = prepareQuantizedLinear({
          ...c,
          weightScale: perChannel ? c.weightScale : c.weightScale[0]!,
          relu,
        });
        const expected = relu ? theirs.map((v) => Math.max(v, c.outputZeroPoint)) : theirs;
        for (const { kernels } of backends) {
          const ours = kernels.quantizedLinear(c.x, layer, c.batch);
          const { maxDiff, differing } = compare(ours, expected);
          expect(maxDiff).toBeLessThanOrEqual(1);
          expect(differing / TOTAL).toBeLessThan(0.005);
          if (!relu && kernels === backends[0]!.kernels) {
            console.info(
              `QLinearMatMul ${perChannel ? "per-channel" : "per-tensor"}: largest difference ${maxDiff}, ${differing} of ${TOTAL} outputs (${((100 * differing) / TOTAL).toFixed(2)}%)`,
            );
          }
        }
      }
    });
  }

  it("com.microsoft QGemm with the layer's int32 bias: off by at most 1 on < 0.5% of outputs", async () => {
    const rng = new TestRng(53);
    const c = linearCase(rng, false, true);
    const layer = prepareQuantizedLinear({ ...c, weightScale: c.weightScale[0]! });
    const theirs = await ortQGemm(c, layer.bias);
    for (const { kernels } of backends) {
      const { maxDiff, differing } = compare(kernels.quantizedLinear(c.x, layer, c.batch), theirs);
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(differing / TOTAL).toBeLessThan(0.005);
      if (kernels === backends[0]!.kernels) {
        console.info(
          `QGemm with bias: largest difference ${maxDiff}, ${differing} of ${TOTAL} outputs (${((100 * differing) / TOTAL).toFixed(2)}%)`,
        );
      }
    }
  });
});
