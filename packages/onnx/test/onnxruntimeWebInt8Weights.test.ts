// int8 weights (weightType "int8") are exact in onnxruntime-web 1.31 (its WASM build, one thread, here in
// Node): its QGEMM widens both operands to 16 bits and sums with i32x4.dot_i16x8_s, where x86's u8s8
// kernels without AVX-512 VNNI add each pair of uint8 x int8 products into a saturating int16
// (vpmaddubsw). The inputs here are the worst case for that pair: activation codes 255 against weight
// codes +-127 all along K, where the sum of a pair (+-64,770) does not fit 16 bits. The slow reference
// (integer sums in plain JS, exact below 2^53) decides what is right; onnxruntime-node is not asserted:
// on CPUs without VNNI it saturates (the reason uint8 weights stay the default).
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { fromArray } from "../src/fromArray";
import { quantizeDynamic } from "../src/quantizeDynamic";
import { quantizeStatic } from "../src/quantizeStatic";
import { toArray } from "../src/toArray";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";
import { optimizedOps } from "./_optimizedOps";
import { node, web } from "./_webEngines";

const C = 64; // Conv input channels: K = C * 3 * 3 = 576 products per output
const H = 4;
const K = 96; // MatMul inner dimension
const N = 4; // output channels / columns: +1 everywhere, -1 everywhere, alternating, a ramp

/** Weight value of output channel n at position k along K: codes +-127 per channel (scale 1 / 127). */
function weight(n: number, k: number): number {
  if (n === 0) return 1;
  if (n === 1) return -1;
  if (n === 2) return k % 2 === 0 ? 1 : -1;
  return ((k % 13) - 6) / 6;
}

/** x[1,C,H,H] -> Conv(W[N,C,3,3], pads 1) -> y; m[1,K] -> MatMul(V[K,N]) -> z. Inputs in [0, 1]. */
function worstCase() {
  const W = new Float32Array(N * C * 9);
  for (let n = 0; n < N; n++) for (let k = 0; k < C * 9; k++) W[n * C * 9 + k] = weight(n, k);
  const V = new Float32Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) V[k * N + n] = weight(n, k);
  return model(
    graph({
      nodes: [
        _node("Conv", ["x", "W"], ["y"], "conv", [
          _attr("kernel_shape", [3, 3]),
          _attr("pads", [1, 1, 1, 1]),
        ]),
        _node("MatMul", ["m", "V"], ["z"], "matmul"),
      ],
      inputs: [tensorInfo("x", 1, [1, C, H, H]), tensorInfo("m", 1, [1, K])],
      outputs: [tensorInfo("y", 1), tensorInfo("z", 1)],
      initializers: [
        fromArray(W, { dims: [N, C, 3, 3], name: "W" }),
        fromArray(V, { dims: [K, N], name: "V" }),
      ],
    }),
    13,
  );
}

/** Inputs of all ones (activation code 255 with the calibrated range [0, 1]) and a deterministic ramp. */
function feeds() {
  const ones = { x: new Float32Array(C * H * H).fill(1), m: new Float32Array(K).fill(1) };
  const ramp = {
    x: new Float32Array(C * H * H).map((_, i) => (i % 17) / 16),
    m: new Float32Array(K).map((_, i) => (i % 11) / 10),
  };
  return [ones, ramp].map((f) => ({
    x: { type: "float32", data: f.x, dims: [1, C, H, H] },
    m: { type: "float32", data: f.m, dims: [1, K] },
  }));
}

/** Integer sums of activation codes x weight codes, as the Conv / MatMul computes them: exact, or with
 * each pair of consecutive products along K added into a saturating int16 first (vpmaddubsw). */
function accumulate(x: Uint8Array, xZero: number, w: Int8Array, saturate: boolean) {
  const sum = (terms: number[]) => {
    let s = 0;
    for (let k = 0; k < terms.length; k += 2) {
      const pair = terms[k]! + (terms[k + 1] ?? 0);
      s += saturate ? Math.max(-32768, Math.min(32767, pair)) : pair;
    }
    return s;
  };
  const conv: number[] = [];
  for (let n = 0; n < N; n++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < H; j++) {
        const terms: number[] = [];
        for (let c = 0; c < C; c++)
          for (let u = 0; u < 3; u++)
            for (let v = 0; v < 3; v++) {
              const ii = i + u - 1;
              const jj = j + v - 1;
              const a = ii < 0 || jj < 0 || ii >= H || jj >= H ? xZero : x[(c * H + ii) * H + jj]!;
              terms.push((a - xZero) * w[((n * C + c) * 3 + u) * 3 + v]!);
            }
        conv.push(sum(terms));
      }
  return conv;
}

describe("int8 weights in onnxruntime-web (WASM): no int16 saturation", () => {
  it("QLinearConv and QLinearMatMul with int8 weights give the exact integer sums at codes 255 x +-127 along K", async () => {
    const samples = feeds();
    const { model: q } = await quantizeStatic(worstCase(), { engine: node, samples, weightType: "int8" });
    // the integer kernels run, not a float Conv on dequantized codes (the same fusions as onnxruntime-web)
    const ops = await optimizedOps(writeModel(q), "extended");
    expect([ops.get("QLinearConv"), ops.get("QLinearMatMul"), ops.get("Conv"), ops.get("MatMul")]).toEqual([
      1,
      1,
      undefined,
      undefined,
    ]);
    const init = new Map(q.graph!.initializer.map((t) => [t.name, t]));
    const scalar = (name: string) => Number((toArray(init.get(name)!) as ArrayLike<number>)[0]);
    const codes = toArray(init.get("W_quantized")!) as Int8Array;
    expect(codes.slice(0, 3)).toEqual(Int8Array.of(127, 127, 127));
    expect(codes.slice(C * 9, C * 9 + 3)).toEqual(Int8Array.of(-127, -127, -127));
    const wScale = toArray(init.get("W_scale")!) as Float32Array;
    const [sx, zx] = [scalar("x_scale"), scalar("x_zero_point")];
    const [sy, zy] = [scalar("y_scale"), scalar("y_zero_point")];
    expect(zx).toBe(0);
    const session = await web.createSession(writeModel(q));
    for (const f of samples) {
      const xCodes = Uint8Array.from(f.x.data, (v) => Math.round(v / sx) + zx);
      if (f === samples[0]) expect(xCodes.every((c) => c === 255)).toBe(true);
      const out = await session.run(f);
      const y = out.y!.data as Float32Array;
      const exact = accumulate(xCodes, zx, codes, false);
      const saturated = accumulate(xCodes, zx, codes, true);
      const code = (acc: number, n: number) =>
        Math.max(0, Math.min(255, Math.round((acc * Math.fround(sx * wScale[n]!)) / sy) + zy));
      let worst = 0;
      let apart = 0;
      for (let i = 0; i < exact.length; i++) {
        const n = Math.floor(i / (H * H));
        const got = Math.round(y[i]! / sy) + zy;
        worst = Math.max(worst, Math.abs(got - code(exact[i]!, n)));
        apart = Math.max(apart, Math.abs(code(saturated[i]!, n) - code(exact[i]!, n)));
      }
      expect(worst).toBeLessThanOrEqual(1); // the float requantization's rounding, nothing more
      if (f === samples[0]) expect(apart).toBeGreaterThan(50); // what a saturating kernel would give
    }
    // MatMul: the output z is requantized too; compare in codes against the exact column sums
    const vCodes = toArray(init.get("V_quantized")!) as Int8Array;
    const vScale = toArray(init.get("V_scale")!) as Float32Array;
    const [sm, zm] = [scalar("m_scale"), scalar("m_zero_point")];
    const [sz, zz] = [scalar("z_scale"), scalar("z_zero_point")];
    for (const f of samples) {
      const mCodes = Array.from(f.m.data, (v) => Math.round(v / sm) + zm);
      const z = (await session.run(f)).z!.data as Float32Array;
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += (mCodes[k]! - zm) * vCodes[k * N + n]!;
        const want = Math.max(0, Math.min(255, Math.round((acc * Math.fround(sm * vScale[n]!)) / sz) + zz));
        expect(Math.abs(Math.round(z[n]! / sz) + zz - want), `column ${n}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it("q8's ConvInteger and MatMulInteger with int8 weights: the exact float results at the same inputs", async () => {
    const m = worstCase();
    const { model: q } = quantizeDynamic(m, { weightType: "int8", convWeightType: "int8" });
    const session = await web.createSession(writeModel(q));
    const reference = await node.createSession(writeModel(m)); // the float model
    for (const f of feeds()) {
      const got = await session.run(f);
      const want = await reference.run(f);
      for (const k of ["y", "z"]) {
        const a = got[k]!.data as Float32Array;
        const b = want[k]!.data as Float32Array;
        // one activation step (1 / 255) times the weight scale, summed over K, bounds q8's own rounding;
        // a saturated pair would lose up to half of a sum of +-576
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `${k}[${i}]`).toBeLessThan(3);
      }
    }
  });
});
