import { FLOAT32_EPS } from "@quantkit/quantizers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MinMaxObserver, PerChannelMinMaxObserver } from "../src/index";
import { expectTorchMinMax, torchCases, vectors } from "./_torchVectors";

const f32 = Math.fround;

/**
 * PyTorch's `_calculate_qparams`, written out again from its source for the tests: float32 tensor
 * arithmetic step by step, torch.round (half to even), clamp.
 */
function refQParams(
  min: number,
  max: number,
  o: { symmetric: boolean; signed: boolean; qmin: number; qmax: number; custom: boolean; eps?: number },
) {
  const eps = f32(o.eps ?? 2 ** -23);
  const minNeg = Math.min(f32(min), 0);
  const maxPos = Math.max(f32(max), 0);
  if (o.symmetric) {
    const m = Math.max(-minNeg, maxPos);
    const scale = Math.max(f32(m / f32((o.qmax - o.qmin) / 2)), eps);
    const zp = o.signed ? 0 : o.custom ? Math.floor((o.qmin + o.qmax) / 2) : 128;
    return { scale, zp };
  }
  const scale = Math.max(f32(f32(maxPos - minNeg) / (o.qmax - o.qmin)), eps);
  const r = f32(minNeg / scale);
  const fl = Math.floor(r);
  const rounded = r - fl === 0.5 ? (fl % 2 === 0 ? fl : fl + 1) : Math.round(r);
  const zp = Math.min(Math.max(o.qmin - rounded, o.qmin), o.qmax);
  return { scale, zp };
}

describe("MinMaxObserver", () => {
  it("keeps the running min and max over batches; [-1, 2] on quint8 is scale 3/255, zero point 85", () => {
    const obs = new MinMaxObserver();
    obs.observe(new Float32Array([-1, 0.25]));
    obs.observe(new Float32Array([2, 0]));
    obs.observe(new Float32Array([0.5]));
    expect([obs.minVal, obs.maxVal, obs.batches]).toEqual([-1, 2, 3]);
    const q = obs.calculateQParams();
    // zero = 0 - round(-1 / (3/255)) = round(85.000001) = 85
    expect(q.scale[0]).toBe(f32(3 / 255));
    expect(q.zeroPoint[0]).toBe(85);
    expect([q.quantMin, q.quantMax, q.dtype, q.qscheme]).toEqual([0, 255, "quint8", "per_tensor_affine"]);
  });

  it("symmetric qint8: scale = max|x| / 127.5, zero point 0; quint8: 128; narrow -127..127: max|x| / 127", () => {
    const x = new Float32Array([-3, 1.5, 2]);
    const q8 = new MinMaxObserver({ dtype: "qint8", qscheme: "per_tensor_symmetric" });
    q8.observe(x);
    expect(q8.calculateQParams().scale[0]).toBe(f32(3 / 127.5));
    expect(q8.calculateQParams().zeroPoint[0]).toBe(0);
    const u8 = new MinMaxObserver({ qscheme: "per_tensor_symmetric" });
    u8.observe(x);
    expect(u8.calculateQParams().zeroPoint[0]).toBe(128);
    const narrow = new MinMaxObserver({
      dtype: "qint8",
      qscheme: "per_tensor_symmetric",
      quantMin: -127,
      quantMax: 127,
    });
    narrow.observe(x);
    expect(narrow.calculateQParams().scale[0]).toBe(f32(3 / 127));
  });

  it("a constant tensor: the range is widened to contain 0; all zeros give scale eps, never NaN", () => {
    const c = new MinMaxObserver();
    c.observe(new Float32Array([3, 3, 3]));
    expect(c.calculateQParams().scale[0]).toBe(f32(3 / 255));
    expect(c.calculateQParams().zeroPoint[0]).toBe(0);
    const z = new MinMaxObserver();
    z.observe(new Float32Array(5));
    expect(z.calculateQParams().scale[0]).toBe(f32(FLOAT32_EPS));
    expect(z.calculateQParams().zeroPoint[0]).toBe(0);
    const neg = new MinMaxObserver();
    neg.observe(new Float32Array([-2, -2]));
    expect(neg.calculateQParams().zeroPoint[0]).toBe(255);
  });

  it("tiny ranges hit eps: ±1e-12 symmetric, and a custom eps of 1e-3", () => {
    const t = new MinMaxObserver({ dtype: "qint8", qscheme: "per_tensor_symmetric" });
    t.observe(new Float32Array([-1e-12, 1e-12]));
    expect(t.calculateQParams().scale[0]).toBe(f32(FLOAT32_EPS));
    const e = new MinMaxObserver({ eps: 1e-3 });
    e.observe(new Float32Array([-0.01, 0.02])); // 0.03 / 255 = 1.2e-4 < 1e-3
    expect(e.calculateQParams().scale[0]).toBe(f32(1e-3));
    expect(e.calculateQParams().zeroPoint[0]).toBe(10); // 0 - round(-0.01 / 0.001)
  });

  it("reduceRange halves the range (quint8 0..127, qint8 -64..63); bits picks a custom width", () => {
    const r = new MinMaxObserver({ reduceRange: true });
    expect([r.quantMin, r.quantMax]).toEqual([0, 127]);
    r.observe(new Float32Array([-1, 2]));
    expect(r.calculateQParams().scale[0]).toBe(f32(3 / 127));
    expect([new MinMaxObserver({ dtype: "qint8", reduceRange: true }).quantMin]).toEqual([-64]);
    const b4 = new MinMaxObserver({ bits: 4 });
    expect([b4.quantMin, b4.quantMax]).toEqual([0, 15]);
    b4.observe(new Float32Array([0, 1.5]));
    expect(b4.calculateQParams().scale[0]).toBe(f32(1.5 / 15));
    expect([new MinMaxObserver({ dtype: "qint8", bits: 3 }).quantMin]).toEqual([-4]);
  });

  it("equals the slow reference of PyTorch's formulas for any batches, dtype, qscheme and custom range", () => {
    const cfgs = [
      { opts: {}, ref: { symmetric: false, signed: false, qmin: 0, qmax: 255, custom: false } },
      {
        opts: { dtype: "qint8" as const },
        ref: { symmetric: false, signed: true, qmin: -128, qmax: 127, custom: false },
      },
      {
        opts: { dtype: "qint8" as const, qscheme: "per_tensor_symmetric" as const },
        ref: { symmetric: true, signed: true, qmin: -128, qmax: 127, custom: false },
      },
      {
        opts: { qscheme: "per_tensor_symmetric" as const, quantMin: 0, quantMax: 15 },
        ref: { symmetric: true, signed: false, qmin: 0, qmax: 15, custom: true },
      },
      {
        opts: { dtype: "qint4" as const },
        ref: { symmetric: false, signed: true, qmin: -8, qmax: 7, custom: false },
      },
    ];
    const batch = fc.float32Array({
      minLength: 1,
      maxLength: 20,
      noNaN: true,
      noDefaultInfinity: true,
      min: -1e6,
      max: 1e6,
    });
    fc.assert(
      fc.property(
        fc.array(batch, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: cfgs.length - 1 }),
        (batches, k) => {
          const { opts, ref } = cfgs[k]!;
          const obs = new MinMaxObserver(opts);
          let mn = Number.POSITIVE_INFINITY;
          let mx = Number.NEGATIVE_INFINITY;
          for (const b of batches) {
            obs.observe(b);
            for (const v of b) {
              mn = Math.min(mn, v);
              mx = Math.max(mx, v);
            }
          }
          expect([obs.minVal, obs.maxVal]).toEqual([mn, mx]);
          const want = refQParams(mn, mx, ref);
          const q = obs.calculateQParams();
          expect(q.scale[0]).toBe(want.scale);
          expect(q.zeroPoint[0]).toBe(want.zp);
          expect(Number.isFinite(q.scale[0]!) && q.scale[0]! > 0).toBe(true);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("reset forgets the batches", () => {
    const obs = new MinMaxObserver();
    obs.observe(new Float32Array([-5, 5]));
    obs.reset();
    expect(obs.batches).toBe(0);
    obs.observe(new Float32Array([0, 1]));
    expect([obs.minVal, obs.maxVal]).toEqual([0, 1]);
  });
});

describe("bad input gets a clear error naming the observer, never a silent NaN", () => {
  it("a range whose span overflows float32 is an error, not an Infinity scale", () => {
    const obs = new MinMaxObserver();
    obs.observe(new Float32Array([-3.4e38, 3.4e38]));
    expect(() => obs.calculateQParams()).toThrow(
      /MinMaxObserver: the range \[-3\.\d+e\+38, 3\.\d+e\+38\] gives scale Infinity: its span overflows float32/,
    );
    const pc = new PerChannelMinMaxObserver();
    pc.observe(new Float32Array([0, 1, -3e38, 3e38]), [2, 2]);
    expect(() => pc.calculateQParams()).toThrow(/of channel 1 gives scale Infinity/);
  });
});

describe(`observers agree with PyTorch ${vectors.torch} (test/vectors/torch-observers.json)`, () => {
  it.each(torchCases("MinMaxObserver"))("%s: min/max exact, scale within 1 ulp, zero point exact", (_, c) =>
    expectTorchMinMax(c),
  );
});
