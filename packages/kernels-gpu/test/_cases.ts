/**
 * The conformance cases every backend runs (Node: headlessgl, webasm, cpu; Chromium: webgl2,
 * webgpu): seeded inputs, each with its expected result from the slow references in
 * `_reference.ts` or worked out by hand. Data only, so that the browser test bundles the same file.
 */
import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "@quantkit/kernels";
import {
  refMatmulF64,
  refMatmulInteger,
  refQuantizedConv2d,
  refQuantizedLinear,
  refQuantizeMultiplier,
  refRequantize,
} from "./_reference";

/** A small seeded generator (mulberry32): the same inputs on every run and platform. */
export class TestRng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** A uniform float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A uniform int32. */
  int32(): number {
    return (this.int(0, 0xffff) << 16) | this.int(0, 0xffff);
  }
}

/** Which method a case calls (the `*Async` twin on WebGPU). */
export type CaseOp =
  | "matmulInteger"
  | "matmulF32"
  | "requantize"
  | "quantizedLinear"
  | "quantizedLinearSequence"
  | "quantizedConv2d";

/** One conformance case. */
export interface ConformanceCase {
  name: string;
  op: CaseOp;
  args: unknown[];
  /** The expected values. */
  expected: ArrayLike<number>;
  /** For float results: the largest allowed |actual - expected| per element; absent means bit-exact. */
  tolerance?: ArrayLike<number>;
  /** The expected result's constructor name (Int32Array, Uint8Array, Int8Array, Float32Array). */
  type: string;
}

function fill<T extends Int8Array | Uint8Array>(a: T, f: (i: number) => number): T {
  for (let i = 0; i < a.length; i++) a[i] = f(i);
  return a;
}

/** A Linear layer with realistic scales: weights int8 (extremes included), int32 bias, TFLite multipliers. */
export function makeLinear(
  rng: TestRng,
  inFeatures: number,
  outFeatures: number,
  o: { inputZeroPoint: number; perChannel: boolean; relu: boolean; realScale?: number },
): QuantizedLinearLayer {
  const weight = fill(new Int8Array(inFeatures * outFeatures), (i) =>
    i % 97 === 0 ? -128 : rng.int(-127, 127),
  );
  const bias = new Int32Array(outFeatures).map(() => rng.int(-50_000, 50_000));
  // s_in * s_w / s_out: about 1 / (64 * sqrt(k)) keeps the codes spread over 0..255 for random inputs.
  const base = o.realScale ?? 1 / (64 * Math.sqrt(inFeatures));
  const channels = o.perChannel ? outFeatures : 1;
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const q = refQuantizeMultiplier(base * (0.5 + rng.next()));
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  const outputZeroPoint = rng.int(60, 140);
  return {
    inFeatures,
    outFeatures,
    weight,
    inputZeroPoint: o.inputZeroPoint,
    outputZeroPoint,
    bias,
    multiplier,
    shift,
    outputMin: o.relu ? outputZeroPoint : 0,
    outputMax: 255,
  };
}

/** A conv layer like {@link makeLinear}'s. */
export function makeConv(
  rng: TestRng,
  g: Omit<
    QuantizedConv2dLayer,
    | "weight"
    | "bias"
    | "multiplier"
    | "shift"
    | "outputZeroPoint"
    | "outputMin"
    | "outputMax"
    | "inputZeroPoint"
  >,
  o: { inputZeroPoint: number; perChannel: boolean },
): QuantizedConv2dLayer {
  const reduction = (g.inChannels / g.groups) * g.kernelH * g.kernelW;
  const weight = fill(new Int8Array(g.outChannels * reduction), () => rng.int(-128, 127));
  const channels = o.perChannel ? g.outChannels : 1;
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const q = refQuantizeMultiplier((0.5 + rng.next()) / (64 * Math.sqrt(reduction)));
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  return {
    ...g,
    weight,
    inputZeroPoint: o.inputZeroPoint,
    outputZeroPoint: 128,
    bias: new Int32Array(g.outChannels).map(() => rng.int(-20_000, 20_000)),
    multiplier,
    shift,
    outputMin: 0,
    outputMax: 255,
  };
}

type ConvGeometry = Parameters<typeof makeConv>[1];

function conv(
  c: Partial<QuantizedConv2dLayer> & { inChannels: number; outChannels: number; k: [number, number] },
): ConvGeometry {
  return {
    inChannels: c.inChannels,
    outChannels: c.outChannels,
    kernelH: c.k[0],
    kernelW: c.k[1],
    strideH: c.strideH ?? 1,
    strideW: c.strideW ?? 1,
    padH: c.padH ?? 0,
    padW: c.padW ?? 0,
    dilationH: c.dilationH ?? 1,
    dilationW: c.dilationW ?? 1,
    groups: c.groups ?? 1,
  };
}

/** Whether summing these products in float32, in order, loses bits (the naive GPU kernel's result). */
export function float32SumIsInexact(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  za: number,
  zb: number,
): boolean {
  let f = 0;
  let exact = 0;
  for (let i = 0; i < a.length; i++) {
    const p = (a[i]! - za) * (b[i]! - zb);
    f = Math.fround(f + p);
    exact += p;
  }
  return f !== exact;
}

/** The cases, built from one seed. */
export function conformanceCases(seed = 20240531): ConformanceCase[] {
  const rng = new TestRng(seed);
  const cases: ConformanceCase[] = [];
  const mm = (
    name: string,
    a: Int8Array | Uint8Array,
    b: Int8Array | Uint8Array,
    o: Parameters<typeof refMatmulInteger>[2],
    expected?: ArrayLike<number>,
  ) =>
    cases.push({
      name,
      op: "matmulInteger",
      args: [a, b, o],
      expected: expected ?? refMatmulInteger(a, b, o),
      type: "Int32Array",
    });

  // Worked by hand: [[1, 2], [3, 4]] x [[1, -1], [2, 0]].
  mm(
    "matmulInteger known answer 2x2",
    new Uint8Array([1, 2, 3, 4]),
    new Int8Array([1, -1, 2, 0]),
    { m: 2, k: 2, n: 2 },
    [5, -1, 11, -3],
  );
  // With zero points: rows [0, 1, 2] and [3, 4, 5] (a - 1) times B.
  mm(
    "matmulInteger known answer with aZeroPoint",
    new Uint8Array([1, 2, 3, 4, 5, 6]),
    new Int8Array([1, -1, 0, 2, -3, 1]),
    { m: 2, k: 3, n: 2, aZeroPoint: 1 },
    [-6, 4, -12, 10],
  );
  {
    const m = 5;
    const k = 37;
    const n = 7;
    const a = fill(new Uint8Array(m * k), () => rng.int(0, 255));
    const b = fill(new Int8Array(k * n), () => rng.int(-128, 127));
    mm("matmulInteger uint8 x int8, zero points 131 and -3", a, b, {
      m,
      k,
      n,
      aZeroPoint: 131,
      bZeroPoint: -3,
    });
  }
  {
    const m = 4;
    const k = 300;
    const n = 6;
    const a = fill(new Int8Array(m * k), () => rng.int(-128, 127));
    const b = fill(new Uint8Array(n * k), () => rng.int(0, 255));
    const bZeroPoint = Int32Array.from([0, 255, 128, 7, 200, 33]);
    mm("matmulInteger int8 x uint8, transB, per-column bZeroPoint", a, b, {
      m,
      k,
      n,
      aZeroPoint: -7,
      bZeroPoint,
      transB: true,
    });
  }
  {
    // uint8 - 255 against uint8 - 0: |product| up to 65,025, blocks of 258; k = 259 needs two.
    const m = 3;
    const k = 259;
    const n = 4;
    const a = fill(new Uint8Array(m * k), (i) => (i % 5 === 0 ? rng.int(0, 255) : 0));
    const b = fill(new Uint8Array(k * n), (i) => (i % 7 === 0 ? rng.int(0, 255) : 255));
    mm("matmulInteger uint8 x uint8, worst-case products, k just past one block", a, b, {
      m,
      k,
      n,
      aZeroPoint: 255,
    });
  }
  {
    const m = 3;
    const k = 2048;
    const n = 5;
    const a = fill(new Uint8Array(m * k), () => rng.int(200, 255));
    const b = fill(new Int8Array(k * n), () => rng.int(100, 127));
    mm("matmulInteger k = 2,048 (float32 sums alone lose bits here)", a, b, { m, k, n });
  }
  {
    const k = 16384;
    mm(
      "matmulInteger k = 16,384, all -128 against 255",
      new Int8Array(2 * k).fill(-128),
      new Uint8Array(k * 3).fill(255),
      { m: 2, k, n: 3 },
      new Array(6).fill(-128 * 255 * k),
    );
    mm(
      "matmulInteger k = 16,384, all 127",
      new Int8Array(2 * k).fill(127),
      new Int8Array(k * 2).fill(127),
      { m: 2, k, n: 2 },
      new Array(4).fill(127 * 127 * k),
    );
    mm(
      "matmulInteger k = 16,384, uint8 0 - 255 against 255 (largest magnitude)",
      new Uint8Array(k),
      new Uint8Array(k * 2).fill(255),
      { m: 1, k, n: 2, aZeroPoint: 255 },
      [-255 * 255 * k, -255 * 255 * k],
    );
  }

  // requantize: every int32 corner, every multiplier sign, shifts -31..30.
  {
    const channels = 16;
    const rows = 40;
    const specials = [
      0,
      1,
      -1,
      2147483647,
      -2147483648,
      1 << 30,
      -(1 << 30),
      4095,
      -4096,
      123456789,
      -987654321,
      65535,
    ];
    const acc = new Int32Array(channels * rows).map((_, i) =>
      i < specials.length * 3 ? specials[i % specials.length]! : rng.int32() >> rng.int(0, 30),
    );
    // The contract's multipliers are 0 or positive (negative ones are refused by every backend).
    const multiplier = Int32Array.from([
      2147483647,
      2147483646,
      1 << 30,
      0,
      1,
      2,
      1518500250,
      (1 << 30) + 1,
      ...Array.from({ length: 8 }, () => rng.int32() & 0x7fffffff),
    ]);
    const shift = Int32Array.from([30, -31, 0, 5, -5, 1, -1, 12, -12, 20, -20, 29, -30, 3, -7, 0]);
    const p = { multiplier, shift, outputZeroPoint: 3, outputMin: 0, outputMax: 255, channels };
    cases.push({
      name: "requantize per channel, int32 and multiplier corners, uint8 out",
      op: "requantize",
      args: [acc, p],
      expected: refRequantize(acc, p),
      type: "Uint8Array",
    });
    const p8 = {
      multiplier: Int32Array.from([1395864371]),
      shift: Int32Array.from([-9]),
      outputZeroPoint: -5,
      outputMin: -128,
      outputMax: 127,
      channels,
    };
    const acc8 = new Int32Array(channels * rows).map(() => rng.int(-300_000, 300_000));
    cases.push({
      name: "requantize per tensor to int8",
      op: "requantize",
      args: [acc8, p8],
      expected: refRequantize(acc8, p8),
      type: "Int8Array",
    });
  }

  // quantizedLinear.
  {
    const batch = 6;
    const L = makeLinear(rng, 50, 9, { inputZeroPoint: 17, perChannel: true, relu: true });
    const x = fill(new Uint8Array(batch * 50), () => rng.int(0, 255));
    cases.push({
      name: "quantizedLinear per channel, fused ReLU",
      op: "quantizedLinear",
      args: [x, L, batch],
      expected: refQuantizedLinear(x, L, batch),
      type: "Uint8Array",
    });
    const big = makeLinear(rng, 20, 5, { inputZeroPoint: 0, perChannel: false, relu: false, realScale: 3.7 });
    const xb = fill(new Uint8Array(3 * 20), () => rng.int(0, 12));
    cases.push({
      name: "quantizedLinear per tensor, multiplier > 1 (left shift)",
      op: "quantizedLinear",
      args: [xb, big, 3],
      expected: refQuantizedLinear(xb, big, 3),
      type: "Uint8Array",
    });
    const ext = makeLinear(rng, 2048, 4, {
      inputZeroPoint: 255,
      perChannel: true,
      relu: false,
      realScale: 1e-9,
    });
    ext.weight.fill(-128);
    ext.bias.set([2147483647, -2147483648, 0, -1_000_000_000]);
    const xe = new Uint8Array(2 * 2048);
    cases.push({
      name: "quantizedLinear k = 2,048 extremes, int32 bias corners (wrapping)",
      op: "quantizedLinear",
      args: [xe, ext, 2],
      expected: refQuantizedLinear(xe, ext, 2),
      type: "Uint8Array",
    });
  }
  {
    // The deck's MLP shape 784-100-100-10 (ReLU, ReLU, none), batch 10.
    const batch = 10;
    const layers = [
      makeLinear(rng, 784, 100, { inputZeroPoint: 0, perChannel: false, relu: true }),
      makeLinear(rng, 100, 100, { inputZeroPoint: 0, perChannel: false, relu: true }),
      makeLinear(rng, 100, 10, { inputZeroPoint: 0, perChannel: false, relu: false }),
    ];
    for (const l of layers.slice(1)) l.inputZeroPoint = layers[layers.indexOf(l) - 1]!.outputZeroPoint;
    const x = fill(new Uint8Array(batch * 784), (i) => (i % 3 === 0 ? 0 : rng.int(0, 255)));
    let y: Uint8Array = x;
    for (const l of layers) y = refQuantizedLinear(y, l, batch);
    cases.push({
      name: "quantizedLinearSequence MLP 784-100-100-10",
      op: "quantizedLinearSequence",
      args: [x, layers, batch],
      expected: y,
      type: "Uint8Array",
    });
  }

  // quantizedConv2d.
  const convCase = (
    name: string,
    g: ConvGeometry,
    input: { batch: number; height: number; width: number },
    zx: number,
    perChannel: boolean,
  ) => {
    const L = makeConv(rng, g, { inputZeroPoint: zx, perChannel });
    const x = fill(new Uint8Array(input.batch * L.inChannels * input.height * input.width), () =>
      rng.int(0, 255),
    );
    cases.push({
      name,
      op: "quantizedConv2d",
      args: [x, L, input],
      expected: refQuantizedConv2d(x, L, input),
      type: "Uint8Array",
    });
  };
  convCase(
    "quantizedConv2d 3x3, padding 1",
    conv({ inChannels: 3, outChannels: 4, k: [3, 3], padH: 1, padW: 1 }),
    { batch: 2, height: 9, width: 7 },
    5,
    true,
  );
  convCase(
    "quantizedConv2d 3x2 kernel, stride 2, dilation 2, groups 2, padding 2x1",
    conv({
      inChannels: 4,
      outChannels: 6,
      k: [3, 2],
      strideH: 2,
      strideW: 2,
      dilationH: 2,
      dilationW: 2,
      groups: 2,
      padH: 2,
      padW: 1,
    }),
    { batch: 2, height: 11, width: 10 },
    200,
    false,
  );
  convCase(
    "quantizedConv2d depthwise (groups = channels)",
    conv({ inChannels: 6, outChannels: 6, k: [3, 3], groups: 6, padH: 1, padW: 1 }),
    { batch: 1, height: 5, width: 6 },
    0,
    true,
  );
  convCase(
    "quantizedConv2d 64 channels 5x5 (several blocks)",
    conv({ inChannels: 64, outChannels: 8, k: [5, 5] }),
    { batch: 1, height: 7, width: 7 },
    255,
    true,
  );

  // matmulF32: exact on small integers (known answer), close to the float64 sum otherwise.
  cases.push({
    name: "matmulF32 known answer with bias",
    op: "matmulF32",
    args: [
      new Float32Array([1, 2, 3, 4]),
      new Float32Array([1, -1, 2, 0]),
      { m: 2, k: 2, n: 2, bias: new Float32Array([0.5, 10]) },
    ],
    expected: [5.5, 9, 11.5, 7],
    type: "Float32Array",
  });
  {
    const m = 7;
    const k = 300;
    const n = 5;
    const a = new Float32Array(m * k).map(() => rng.next() * 2 - 1);
    const b = new Float32Array(n * k).map(() => rng.next() * 2 - 1);
    const bias = new Float32Array(n).map(() => rng.next());
    const o = { m, k, n, transB: true, bias };
    const abs = refMatmulF64(a.map(Math.abs), b.map(Math.abs), {
      m,
      k,
      n,
      transB: true,
      bias: bias.map(Math.abs),
    });
    // float32 accumulation in any order: |error| <= k * 2^-23 * sum |a||b| (a loose, safe bound).
    cases.push({
      name: "matmulF32 transB with bias, random",
      op: "matmulF32",
      args: [a, b, o],
      expected: refMatmulF64(a, b, o),
      tolerance: abs.map((v) => v * (k + 1) * 2 ** -23),
      type: "Float32Array",
    });
  }
  return cases;
}
