import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { matmulF32Model, matmulIntegerModel } from "./model";

const session = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });

describe("hand-written ONNX models run in onnxruntime-node", () => {
  it("MatMulInteger gives the worked example: (A - 1) x B", async () => {
    const s = await session(matmulIntegerModel(2, 3, 2));
    const out = await s.run({
      A: new ort.Tensor("uint8", Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
      B: new ort.Tensor("int8", Int8Array.from([1, -1, 2, 0, -3, 4]), [3, 2]),
      a_zero_point: new ort.Tensor("uint8", Uint8Array.of(1), []),
      b_zero_point: new ort.Tensor("int8", Int8Array.of(0), []),
    });
    // [[0,1,2],[3,4,5]] x [[1,-1],[2,0],[-3,4]] = [[-4, 8], [-4, 17]]
    expect(out.Y!.type).toBe("int32");
    expect([...(out.Y!.data as Int32Array)]).toEqual([-4, 8, -4, 17]);
    await s.release();
  });

  it("MatMulInteger equals a plain-loop reference on random operands, |B| <= 64 (K = 300, sums past 2^16)", async () => {
    // |B| <= 64 keeps every pair of products within int16 (2 x 255 x 64 = 32,640): onnxruntime's
    // uint8 x int8 kernel is exact on every x86 CPU then, VNNI or not (without VNNI it saturates such
    // pairs to int16). Full-range operands are the bench's to measure, not a test's to assert.
    const [m, k, n] = [5, 300, 7];
    const rng = new Rng(7);
    const a = new Uint8Array(m * k).map(() => rng.int(256));
    const b = new Int8Array(k * n).map(() => rng.int(128) - 64);
    const s = await session(matmulIntegerModel(m, k, n));
    const out = await s.run({
      A: new ort.Tensor("uint8", a, [m, k]),
      B: new ort.Tensor("int8", b, [k, n]),
      a_zero_point: new ort.Tensor("uint8", Uint8Array.of(128), []),
      b_zero_point: new ort.Tensor("int8", Int8Array.of(0), []),
    });
    const ref = new Int32Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += (a[i * k + p]! - 128) * b[p * n + j]!;
        ref[i * n + j] = acc;
      }
    expect(Math.max(...ref.map(Math.abs))).toBeGreaterThan(2 ** 16);
    expect([...(out.Y!.data as Int32Array)]).toEqual([...ref]);
    await s.release();
  });

  it("MatMul (float32) gives the worked example", async () => {
    const s = await session(matmulF32Model(2, 3, 2));
    const out = await s.run({
      A: new ort.Tensor("float32", Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
      B: new ort.Tensor("float32", Float32Array.from([1, -1, 2, 0, -3, 4]), [3, 2]),
    });
    expect([...(out.Y!.data as Float32Array)]).toEqual([-4, 11, -4, 20]);
    await s.release();
  });
});
