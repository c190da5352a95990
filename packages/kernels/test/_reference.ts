/**
 * Slow, obviously correct references: plain loops over the definitions, BigInt wherever a value can
 * leave the exact range of a double or of int32. Nothing here is shared with src/.
 */
import type { Int8Like } from "../src/index";
import { refMultiplyByQuantizedMultiplier } from "./_requantizeReference";

export { refMultiplyByQuantizedMultiplier };

/** sum_k (a[i,k] - za)(b[k,j] - zb[j]) exactly, then reduced modulo 2^32 to int32. */
export function refMatmulInteger(
  a: Int8Like,
  b: Int8Like,
  m: number,
  k: number,
  n: number,
  aZeroPoint = 0,
  bZeroPoint: number | Int32Array = 0,
  transB = false,
): Int32Array {
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const zb = typeof bZeroPoint === "number" ? bZeroPoint : bZeroPoint[j]!;
      let sum = 0n;
      for (let kk = 0; kk < k; kk++) {
        const bv = transB ? b[j * k + kk]! : b[kk * n + j]!;
        sum += BigInt(a[i * k + kk]! - aZeroPoint) * BigInt(bv - zb);
      }
      out[i * n + j] = Number(BigInt.asIntN(32, sum));
    }
  }
  return out;
}

/** Y = A B (+ bias) with every product and sum rounded to float32, in k order from +0, bias last. */
export function refMatmulF32(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transB = false,
  bias?: Float32Array,
): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) {
        const bv = transB ? b[j * k + kk]! : b[kk * n + j]!;
        s = Math.fround(s + Math.fround(a[i * k + kk]! * bv));
      }
      out[i * n + j] = bias ? Math.fround(s + bias[j]!) : s;
    }
  }
  return out;
}

/** TFLite's QuantizeMultiplier with frexp done by repeated halving/doubling (no bit tricks). */
export function refQuantizeMultiplier(real: number): { multiplier: number; shift: number } {
  let q = real;
  let shift = 0;
  while (q >= 1) {
    q /= 2;
    shift++;
  }
  while (q < 0.5) {
    q *= 2;
    shift--;
  }
  let fixed = Math.round(q * 2 ** 31);
  if (fixed === 2 ** 31) {
    fixed /= 2;
    shift++;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: fixed, shift };
}

/** Requantization of one accumulator: the definition, with the zero point added exactly before clamping. */
export function refRequantizeOne(
  acc: number,
  multiplier: number,
  shift: number,
  zeroPoint: number,
  qmin: number,
  qmax: number,
): number {
  const y = refMultiplyByQuantizedMultiplier(acc, multiplier, shift) + zeroPoint;
  return Math.min(qmax, Math.max(qmin, y));
}

/** A quantized Linear layer's output from its definition: raw uint8 x int8 sums (BigInt), bias, requantize. */
export function refQuantizedLinear(
  x: Uint8Array,
  layer: {
    inFeatures: number;
    outFeatures: number;
    weight: Int8Array;
    inputZeroPoint: number;
    outputZeroPoint: number;
    bias: Int32Array;
    multiplier: Int32Array;
    shift: Int32Array;
    outputMin: number;
    outputMax: number;
  },
  batch: number,
): Uint8Array {
  const { inFeatures: k, outFeatures: n } = layer;
  const out = new Uint8Array(batch * n);
  for (let i = 0; i < batch; i++) {
    for (let c = 0; c < n; c++) {
      let sum = BigInt(layer.bias[c]!);
      for (let kk = 0; kk < k; kk++) {
        sum += BigInt(x[i * k + kk]! - layer.inputZeroPoint) * BigInt(layer.weight[c * k + kk]!);
      }
      const ch = layer.multiplier.length > 1 ? c : 0;
      out[i * n + c] = refRequantizeOne(
        Number(BigInt.asIntN(32, sum)),
        layer.multiplier[ch]!,
        layer.shift[ch]!,
        layer.outputZeroPoint,
        layer.outputMin,
        layer.outputMax,
      );
    }
  }
  return out;
}

/** Geometry of a direct convolution reference. */
export interface RefConv {
  batch: number;
  inChannels: number;
  height: number;
  width: number;
  outChannels: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  groups: number;
}

export function refConvOutSize(g: RefConv): [number, number] {
  const oh = Math.floor((g.height + 2 * g.padH - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1;
  const ow = Math.floor((g.width + 2 * g.padW - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1;
  return [oh, ow];
}

/**
 * Direct convolution (seven nested loops, no im2col): visits taps in (c, i, j) order and calls
 * `tap(acc, input value or null for padding, weight value)` to accumulate; `finish(acc, o)` per output.
 */
function directConv<T>(
  g: RefConv,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  init: () => T,
  tap: (acc: T, xv: number | null, wv: number) => T,
  finish: (acc: T, o: number) => number,
  out: { [i: number]: number },
): void {
  const [oh, ow] = refConvOutSize(g);
  const cg = g.inChannels / g.groups;
  const og = g.outChannels / g.groups;
  for (let b = 0; b < g.batch; b++) {
    for (let o = 0; o < g.outChannels; o++) {
      const grp = Math.floor(o / og);
      for (let y = 0; y < oh; y++) {
        for (let xo = 0; xo < ow; xo++) {
          let acc = init();
          for (let c = 0; c < cg; c++) {
            const ci = grp * cg + c;
            for (let i = 0; i < g.kernelH; i++) {
              for (let j = 0; j < g.kernelW; j++) {
                const ih = y * g.strideH - g.padH + i * g.dilationH;
                const iw = xo * g.strideW - g.padW + j * g.dilationW;
                const inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
                const xv = inside ? x[((b * g.inChannels + ci) * g.height + ih) * g.width + iw]! : null;
                const wv = w[((o * cg + c) * g.kernelH + i) * g.kernelW + j]!;
                acc = tap(acc, xv, wv);
              }
            }
          }
          out[((b * g.outChannels + o) * oh + y) * ow + xo] = finish(acc, o);
        }
      }
    }
  }
}

/** fp32 conv2d from its definition: padded pixels are 0.0, products and sums float32, bias last. */
export function refConv2dF32(
  g: RefConv,
  x: Float32Array,
  w: Float32Array,
  bias?: Float32Array,
): Float32Array {
  const [oh, ow] = refConvOutSize(g);
  const out = new Float32Array(g.batch * g.outChannels * oh * ow);
  directConv(
    g,
    x,
    w,
    () => 0,
    (acc, xv, wv) => Math.fround(acc + Math.fround((xv ?? 0) * wv)),
    (acc, o) => (bias ? Math.fround(acc + bias[o]!) : acc),
    out,
  );
  return out;
}

/** Quantized conv2d from its definition: (x - z_in) w summed in BigInt, padding contributes 0, then requantized. */
export function refQuantizedConv2d(
  g: RefConv,
  x: Uint8Array,
  layer: {
    weight: Int8Array;
    inputZeroPoint: number;
    outputZeroPoint: number;
    bias: Int32Array;
    multiplier: Int32Array;
    shift: Int32Array;
    outputMin: number;
    outputMax: number;
  },
): Uint8Array {
  const [oh, ow] = refConvOutSize(g);
  const out = new Uint8Array(g.batch * g.outChannels * oh * ow);
  directConv(
    g,
    x,
    layer.weight,
    () => 0n,
    (acc, xv, wv) => acc + BigInt(xv === null ? 0 : xv - layer.inputZeroPoint) * BigInt(wv),
    (acc, o) => {
      const ch = layer.multiplier.length > 1 ? o : 0;
      const total = Number(BigInt.asIntN(32, acc + BigInt(layer.bias[o]!)));
      return refRequantizeOne(
        total,
        layer.multiplier[ch]!,
        layer.shift[ch]!,
        layer.outputZeroPoint,
        layer.outputMin,
        layer.outputMax,
      );
    },
    out,
  );
  return out;
}

/** A small deterministic generator for test data (sfc32-like via Math.imul; independent of src). */
export class TestRng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** A uint32. */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }
  uint8(n: number): Uint8Array {
    const a = new Uint8Array(n);
    for (let i = 0; i < n; i++) a[i] = this.next() & 0xff;
    return a;
  }
  int8(n: number): Int8Array {
    const a = new Int8Array(n);
    for (let i = 0; i < n; i++) a[i] = this.next() & 0xff;
    return a;
  }
  /** Floats in [-1, 1) with a few exponents mixed in, as float32. */
  float32(n: number, spread = 1): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = ((this.next() / 2 ** 31 - 1) * spread) / 2 ** (this.next() % 4);
    return a;
  }
}
