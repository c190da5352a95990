import { Rng } from "@quantkit/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import { calculateQParams, dequantize, type QParams, quantize, quantizePerTensor } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refCode, refPairIndex, refRoundHalfAwayFromZero, stressValues } from "./reference";

const f32 = Math.fround;

afterEach(() => {
  _setSimdEnabled(true);
});

/** Both kernels: the WebAssembly SIMD one (where available) and the JS one. */
const KERNELS = [
  ["simd", true],
  ["js", false],
] as const;

const u8: QParams = calculateQParams(-1, 2);
const perChannel = (over: Partial<QParams> = {}): QParams => ({
  scale: Float32Array.of(0.1, 0.2, 0.3),
  zeroPoint: Int32Array.of(0, 0, 0),
  quantMin: -128,
  quantMax: 127,
  qscheme: "per_channel_affine",
  dtype: "qint8",
  axis: 1,
  ...over,
});

const x = new Float32Array([-1, 0, 0.5, 2]);

describe("quantize: known answers", () => {
  it("quint8 affine on [-1, 2]: scale 3/255, zeroPoint 85, 0.5 / scale = 42.5 rounds to even", () => {
    const qparams = calculateQParams(-1, 2);
    const inv = f32(1 / qparams.scale[0]!);
    expect(inv).toBe(85); // float32(1 / float32(3/255)) is exactly 85
    expect(f32(0.5 * inv)).toBe(42.5); // a tie
    const x = new Float32Array([-1, 0, 0.5, 2, 3, -2, 1]);
    expect(Array.from(quantize(x, [7], qparams))).toEqual([0, 85, 127, 255, 255, 0, 170]);
  });

  it("rounds ties to even by default, away from zero on request", () => {
    // scale 0.5: x * 2 = 0.5, 1.5, 2.5, -0.5, -1.5, -2.5
    const x = new Float32Array([0.25, 0.75, 1.25, -0.25, -0.75, -1.25]);
    const qparams: QParams = {
      scale: Float32Array.of(0.5),
      zeroPoint: Int32Array.of(0),
      quantMin: -128,
      quantMax: 127,
      qscheme: "per_tensor_affine",
      dtype: "qint8",
    };
    expect(Array.from(quantize(x, [6], qparams))).toEqual([0, 2, 2, 0, -2, -2]);
    expect(Array.from(quantize(x, [6], qparams, { rounding: "half_away_from_zero" }))).toEqual([
      1, 2, 3, -1, -2, -3,
    ]);
  });

  it("adds the zero point after rounding (fbgemm LEGACY=false): zp 1, x / scale = 0.5 -> 1, not round(1.5) = 2", () => {
    expect(Array.from(quantizePerTensor(new Float32Array([0.5, 1.5, 2.5]), 1, 1, "quint8"))).toEqual([
      1, 3, 3,
    ]);
  });

  it("multiplies by float32(1 / scale) like PyTorch, which differs from x / scale at ties (fbgemm's example)", () => {
    const scale = f32(0.00214854861);
    const x = f32(0.273939937);
    const inv = f32(1 / scale);
    expect(f32(x * inv)).toBe(127.5); // rounds to 128
    expect(f32(x / scale)).toBeLessThan(127.5); // 127.49999: division would give 127
    expect(quantizePerTensor(Float32Array.of(x), scale, 0, "quint8")[0]).toBe(128);
    expect(quantize(Float32Array.of(x), [1], calculateQParamsFor(scale, 0))[0]).toBe(128);
  });

  it("returns the natural typed array for the range", () => {
    const x = new Float32Array([0.1, -0.1]);
    const kinds = [
      [0, 255, "quint8", Uint8Array],
      [-128, 127, "qint8", Int8Array],
      [0, 15, "quint4", Uint8Array],
      [-8, 7, "qint4", Int8Array],
      [-2, 1, "qint2", Int8Array],
      [0, 1023, "quint8", Uint16Array],
      [-512, 511, "qint8", Int16Array],
      [-1000, 1000, "qint32", Int32Array],
    ] as const;
    for (const [quantMin, quantMax, dtype, type] of kinds) {
      const codes = quantize(x, [2], { ...calculateQParamsFor(0.01, 0), quantMin, quantMax, dtype });
      expect(codes).toBeInstanceOf(type);
    }
  });

  it("clamps a finite x whose x * inv overflows float32 (PyTorch clamps too), and huge codes for qint32", () => {
    const x = new Float32Array([3e38, -3e38, 1e-45]);
    for (const [, simd] of KERNELS) {
      _setSimdEnabled(simd);
      expect(Array.from(quantizePerTensor(x, 1e-3, 128, "quint8"))).toEqual([255, 0, 128]);
    }
    // qint32: float32(zeroPoint + r) as fbgemm's scalar kernel: 1e9 + 3 rounds back to 1e9 (float32 step 64)
    expect(Array.from(quantizePerTensor(new Float32Array([1e9, -1e9, 3e9]), 1, 3, "qint32"))).toEqual([
      1000000000, -1000000000, 2147483647,
    ]);
  });

  it("a narrow-range symmetric qint8 is the deck's symmetric quantization", () => {
    const x = new Float32Array([-50, 150, 75.3, 1.18]);
    const qparams = calculateQParams(-50, 150, {
      dtype: "qint8",
      qscheme: "per_tensor_symmetric",
      quantMin: -127,
      quantMax: 127,
    });
    // deck: scale = alpha / (2^(n-1) - 1) = 150 / 127
    const deck = Array.from(x, (v) => Math.max(-127, Math.min(127, Math.round(v / (150 / 127)))));
    expect(Array.from(quantize(x, [4], qparams))).toEqual(deck);
    expect(deck).toEqual([-42, 127, 64, 1]);
    // At an exact float64 tie the float32 arithmetic decides, as in PyTorch: 75 / (150 / 127) = 63.5 in
    // exact arithmetic (np.round: 64), but float32(75 * float32(1 / float32(150 / 127))) = 63.499996 -> 63.
    expect(f32(75 * f32(1 / qparams.scale[0]!))).toBe(f32(63.499996));
    expect(quantize(Float32Array.of(75), [1], qparams)[0]).toBe(63);
  });
});

/** Per-tensor quint8 qparams with a given scale and zero point. */
function calculateQParamsFor(scale: number, zeroPoint: number): QParams {
  return {
    scale: Float32Array.of(scale),
    zeroPoint: Int32Array.of(zeroPoint),
    quantMin: 0,
    quantMax: 255,
    qscheme: "per_tensor_affine",
    dtype: "quint8",
  };
}

describe("quantize equals the slow reference bit for bit", () => {
  for (const [kernel, simd] of KERNELS) {
    it(`per tensor, every rounding mode, several dtypes and zero points (${kernel} kernel)`, () => {
      _setSimdEnabled(simd);
      const rng = new Rng(7);
      const ranges = [
        [0, 255, "quint8"],
        [-128, 127, "qint8"],
        [-127, 127, "qint8"],
        [0, 15, "quint4"],
        [-8, 7, "qint4"],
        [-2, 1, "qint2"],
        [0, 127, "quint8"],
        [-32768, 32767, "qint8"],
        [0, 65535, "quint8"],
        [-2147483648, 2147483647, "qint32"],
      ] as const;
      for (const [quantMin, quantMax, dtype] of ranges) {
        for (const scale of [f32(3 / 255), 0.5, f32(0.00214854861), 1e-3, 7.3]) {
          const zeroPoint = quantMin + rng.int(Math.min(quantMax - quantMin + 1, 4096));
          const x = stressValues(rng, 700, scale);
          const qparams: QParams = {
            scale: Float32Array.of(scale),
            zeroPoint: Int32Array.of(zeroPoint),
            quantMin,
            quantMax,
            qscheme: "per_tensor_affine",
            dtype,
          };
          const even = quantize(x, [x.length], qparams);
          const away = quantize(x, [x.length], qparams, { rounding: "half_away_from_zero" });
          for (let i = 0; i < x.length; i++) {
            expect(even[i]).toBe(refCode(x[i]!, scale, zeroPoint, quantMin, quantMax).q);
            expect(away[i]).toBe(
              refCode(x[i]!, scale, zeroPoint, quantMin, quantMax, refRoundHalfAwayFromZero).q,
            );
          }
        }
      }
    });
  }

  it("per channel along any axis and per group: each element uses its own pair (reference index math)", () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 40; trial++) {
      const rank = 1 + rng.int(4);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(5));
      const axis = rng.int(rank);
      const grouped = rng.int(2) === 0;
      const divisors = Array.from({ length: shape[axis]! }, (_, i) => i + 1).filter(
        (d) => shape[axis]! % d === 0,
      );
      const groupSize = grouped ? divisors[rng.int(divisors.length)]! : undefined;
      const n = shape.reduce((a, b) => a * b, 1);
      const pairs = groupSize === undefined ? shape[axis]! : n / groupSize;
      const scale = new Float32Array(pairs).map(() => rng.uniform(0.01, 2));
      const zeroPoint = new Int32Array(pairs).map(() => rng.int(256) - 128);
      const x = new Float32Array(n).map(() => rng.uniform(-300, 300));
      const qparams: QParams = {
        scale,
        zeroPoint,
        quantMin: -128,
        quantMax: 127,
        qscheme: "per_channel_affine",
        dtype: "qint8",
        axis: rng.int(2) === 0 ? axis : axis - rank,
      };
      if (groupSize !== undefined) qparams.groupSize = groupSize;
      const codes = quantize(x, shape, qparams);
      const back = dequantize(codes, shape, qparams);
      for (let e = 0; e < n; e++) {
        const p = refPairIndex(e, shape, axis, groupSize);
        expect(codes[e]).toBe(refCode(x[e]!, scale[p]!, zeroPoint[p]!, -128, 127).q);
        expect(back[e]).toBe(f32((codes[e]! - zeroPoint[p]!) * scale[p]!));
      }
    }
  });

  it("the SIMD and JS kernels agree on 100k stress values (several 16K chunks and a ragged tail)", () => {
    const rng = new Rng(9);
    const x = stressValues(rng, 100_003, f32(3 / 255));
    const qparams = calculateQParams(-1, 2);
    const signed = calculateQParams(-1, 2, { dtype: "qint8" });
    _setSimdEnabled(false);
    const js = quantize(x, [x.length], qparams);
    const jsSigned = quantize(x, [x.length], signed);
    expect(_setSimdEnabled(true)).toBe(true); // Node 20 has WebAssembly SIMD
    expect(quantize(x, [x.length], qparams)).toEqual(js);
    expect(quantize(x, [x.length], signed)).toEqual(jsSigned);
  });
});

describe("stochastic rounding", () => {
  it("rounds to floor or ceil, unbiased in expectation, reproducible from the seed", () => {
    const qparams = calculateQParamsFor(1, 0);
    const x = new Float32Array(20000).fill(2.25);
    const a = quantize(x, [x.length], qparams, { rounding: "stochastic", rng: new Rng(1) });
    const b = quantize(x, [x.length], qparams, { rounding: "stochastic", rng: new Rng(1) });
    expect(a).toEqual(b);
    let sum = 0;
    for (const q of a) {
      expect(q === 2 || q === 3).toBe(true);
      sum += q;
    }
    // E = 2.25, sd of the mean = sqrt(0.25 * 0.75 / 20000) = 0.003
    expect(Math.abs(sum / x.length - 2.25)).toBeLessThan(0.015);
    // integers stay put
    expect(
      Array.from(
        quantize(new Float32Array([3, 4]), [2], qparams, { rounding: "stochastic", rng: new Rng(2) }),
      ),
    ).toEqual([3, 4]);
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("empty tensors, shapes that do not match, non-Float32Array input", () => {
    expect(() => quantize(new Float32Array(0), [0], u8)).toThrow("x is empty (shape [0])");
    expect(() => quantize(new Float32Array(6), [4, 2], u8)).toThrow(
      "x has 6 elements but shape [4, 2] needs 8",
    );
    // @ts-expect-error float64 input
    expect(() => quantize(new Float64Array(2), [2], u8)).toThrow(
      "x must be a Float32Array, got [object Float64Array]",
    );
  });

  it("axis out of range, groupSize that does not divide the axis, groupSize with a per-tensor qscheme", () => {
    const x = new Float32Array(12);
    expect(() => quantize(x, [4, 3], perChannel({ axis: 2 }))).toThrow(
      "qparams.axis must be an integer in [-2, 1] for a rank-2 tensor, got 2",
    );
    expect(() => quantize(x, [4, 3], perChannel({ axis: 0 }))).toThrow(
      "qparams.scale has 3 values, expected 4 (one per channel along the axis)",
    );
    expect(() => quantize(x, [2, 6], perChannel({ axis: 1, groupSize: 4 }))).toThrow(
      "qparams.groupSize = 4 does not divide shape[1] = 6 (shape [2, 6])",
    );
    expect(() => quantize(x, [2, 6], perChannel({ axis: 1, groupSize: 0 }))).toThrow(
      "qparams.groupSize must be a positive integer, got 0",
    );
    expect(() => quantize(x, [12], { ...u8, groupSize: 4 })).toThrow(
      /groupSize needs a per_channel_affine or per_channel_symmetric qscheme/,
    );
    expect(() => quantize(x, [12], { ...u8, axis: 0 })).toThrow(
      /axis is set \(0\) but qscheme per_tensor_affine is per tensor/,
    );
  });

  it("bits out of 1..16 and quantMin >= quantMax", () => {
    const x = new Float32Array(2);
    expect(() => quantize(x, [2], { ...u8, quantMin: 0, quantMax: 65536 })).toThrow(
      "the range [0, 65536] holds 65537 codes, more than 2^16: bits must be in 1..16 (qint32 excepted)",
    );
    expect(() => quantize(x, [2], { ...u8, quantMin: 5, quantMax: 5, zeroPoint: Int32Array.of(5) })).toThrow(
      "qparams.quantMin must be less than qparams.quantMax, got quantMin=5, quantMax=5",
    );
  });

  it("a scale that is not positive and finite (or whose float32 reciprocal overflows)", () => {
    const x = new Float32Array(2);
    for (const bad of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 1e-39, 1e-50]) {
      expect(() => quantize(x, [2], { ...u8, scale: Float32Array.of(bad) })).toThrow(
        /qparams\.scale\[0\] must be positive and finite/,
      );
    }
  });

  it("a zero point outside [quantMin, quantMax] or not an integer", () => {
    const x = new Float32Array(2);
    expect(() => quantize(x, [2], { ...u8, zeroPoint: Int32Array.of(300) })).toThrow(
      "qparams.zeroPoint[0] = 300 is outside",
    );
  });

  it("bad names, stochastic rounding without an rng, a wrong out array", () => {
    const x = new Float32Array(2);
    // @ts-expect-error unknown qscheme
    expect(() => quantize(x, [2], { ...u8, qscheme: "affine" })).toThrow(/qparams.qscheme must be one of/);
    // @ts-expect-error unknown rounding
    expect(() => quantize(x, [2], u8, { rounding: "nearest" })).toThrow(
      /options.rounding must be one of half_to_even/,
    );
    expect(() => quantize(x, [2], u8, { rounding: "stochastic" })).toThrow(
      'rounding "stochastic" needs options.rng',
    );
    expect(() => quantize(x, [2], u8, { out: new Int8Array(2) })).toThrow(
      "options.out must be a Uint8Array of length 2 for codes in [0, 255], got Int8Array(2)",
    );
  });
});

describe("calculateQParams rejects what float32 cannot hold (item 3)", () => {
  it("quantize, fakeQuantize and steMask refuse qparams whose range does not suit their dtype", () => {
    const bad: QParams = {
      scale: new Float32Array([0.01]),
      zeroPoint: new Int32Array([0]),
      quantMin: 0,
      quantMax: 300,
      qscheme: "per_tensor_affine",
      dtype: "quint8",
    };
    expect(() => quantize(x, [4], bad)).toThrow(/does not suit dtype quint8/);
    const signed = { ...bad, quantMax: 255, dtype: "qint8" as const };
    expect(() => quantize(x, [4], signed)).toThrow(/does not suit dtype qint8/);
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  const qparams = calculateQParams(-1, 2);
  it.each([["quantize", () => quantize(x, [4], qparams, { round: "half_to_even" } as never)]])(
    "%s",
    (name, call) => {
      expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
    },
  );
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      for (const simd of [true, false]) {
        _setSimdEnabled(simd);
        expect(() => quantize(y, [y.length], u8)).toThrow(message);
      }
      expect(() => quantize(y, [y.length], u8, { rounding: "half_away_from_zero" })).toThrow(message);
      expect(() => quantize(y, [y.length], u8, { rounding: "stochastic", rng: new Rng(0) })).toThrow(message);
    }
  });
});
