// @quantkit/quantizers' arithmetic: "onnx" against onnxruntime's QuantizeLinear on the same float32
// inputs, at ties where ONNX's division and PyTorch's multiplication by the inverse scale differ.
import { type QParams, quantize } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { fromArray } from "../src/fromArray";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";

const f32 = Math.fround;

/** onnxruntime's QuantizeLinear(x, scale, zeroPoint[, axis]) on a 2-D x. */
async function ortQuantizeLinear(
  x: Float32Array,
  dims: number[],
  scale: Float32Array,
  zp: Int8Array | Uint8Array,
  axis?: number,
) {
  const scaleDims = scale.length === 1 ? [] : [scale.length];
  const m = model(
    graph({
      nodes: [
        _node("QuantizeLinear", ["x", "s", "z"], ["y"], "q", axis === undefined ? [] : [_attr("axis", axis)]),
      ],
      inputs: [tensorInfo("x", 1, dims)],
      outputs: [tensorInfo("y", zp instanceof Int8Array ? 3 : 2)],
      initializers: [
        fromArray(scale, { dims: scaleDims, name: "s" }),
        fromArray(zp, { dims: scaleDims, name: "z" }),
      ],
    }),
    13,
  );
  const session = await ort.InferenceSession.create(writeModel(m));
  const out = await session.run({ x: new ort.Tensor("float32", x, dims) });
  return out.y!.data as Int8Array | Uint8Array;
}

/** Values on exact ties of x / scale (scale with a short significand) and on ties of x * float32(1 / scale). */
function tieInputs(scale: number, count: number, rng: Rng): Float32Array {
  const inv = f32(1 / scale);
  const out: number[] = [];
  while (out.length < count) {
    const k = Math.floor(rng.next() * 200) - 100;
    out.push((k + 0.5) * scale); // exact tie of the quotient when scale's significand is short
    const x0 = f32((k + 0.5) / inv);
    for (const step of [-1, 0, 1]) {
      const x = f32(x0 * (1 + step * 2 ** -24));
      if (f32(x * inv) === k + 0.5) out.push(x); // a tie of PyTorch's product
    }
  }
  return Float32Array.from(out.slice(0, count));
}

const qp = (scale: Float32Array, zp: number[], signed: boolean, axis?: number): QParams => ({
  scale,
  zeroPoint: Int32Array.from(zp),
  quantMin: signed ? -128 : 0,
  quantMax: signed ? 127 : 255,
  qscheme: axis === undefined ? "per_tensor_affine" : "per_channel_affine",
  dtype: signed ? "qint8" : "quint8",
  ...(axis === undefined ? {} : { axis }),
});

describe('quantize(..., { arithmetic: "onnx" }) equals onnxruntime QuantizeLinear', () => {
  it("per tensor, uint8 and int8, at constructed ties (where PyTorch's arithmetic differs) and at random values", async () => {
    const rng = new Rng(4);
    for (const scale of [3 * 2 ** -7, 1533 * 2 ** -12, f32(0.00214854861), f32(0.0371)]) {
      for (const signed of [false, true]) {
        const ties = tieInputs(scale, 400, rng);
        const random = new Float32Array(400).map(() => (rng.next() - 0.5) * 300 * scale);
        const x = new Float32Array([...ties, ...random]);
        const zp = signed ? -3 : 130;
        const ours = quantize(x, [x.length], qp(Float32Array.of(scale), [zp], signed), {
          arithmetic: "onnx",
        });
        const theirs = await ortQuantizeLinear(
          x,
          [1, x.length],
          Float32Array.of(scale),
          signed ? Int8Array.of(zp) : Uint8Array.of(zp),
        );
        expect(Array.from(ours)).toEqual(Array.from(theirs));
        const pytorch = quantize(x, [x.length], qp(Float32Array.of(scale), [zp], signed));
        let differ = 0;
        for (let i = 0; i < x.length; i++) if (pytorch[i] !== theirs[i]) differ++;
        if (scale === 3 * 2 ** -7) expect(differ).toBeGreaterThan(0); // the ties separate the two arithmetics
      }
    }
  });

  it("per axis (opset 13): channel c along axis 1 divides by scale[c]", async () => {
    const rng = new Rng(5);
    const scale = Float32Array.of(3 * 2 ** -8, 5 * 2 ** -9, f32(0.0123), f32(0.00214854861));
    const dims = [64, 4];
    const x = new Float32Array(256).map(
      (_, i) => (Math.floor(rng.next() * 100) - 50 + (i % 3 === 0 ? 0.5 : rng.next())) * scale[i % 4]!,
    );
    const ours = quantize(x, dims, qp(scale, [0, 0, 0, 0], true, 1), { arithmetic: "onnx" });
    const theirs = await ortQuantizeLinear(x, dims, scale, Int8Array.of(0, 0, 0, 0), 1);
    expect(Array.from(ours)).toEqual(Array.from(theirs));
  });
});
