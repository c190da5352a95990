/**
 * Slow, obviously correct references for the kernel contract: plain loops, exact integer sums
 * (every sum here stays below 2^53, then wraps to int32 like int32 accumulation), and BigInt for the
 * fixed-point requantization (gemmlowp's SaturatingRoundingDoublingHighMul and
 * RoundingDivideByPOT, TFLite's MultiplyByQuantizedMultiplier). Independent of the kernels'
 * float32 limb arithmetic, which is what they check.
 */
import type {
  Int8Like,
  MatmulIntegerOptions,
  QuantizedConv2dLayer,
  QuantizedLinearLayer,
} from "@quantkit/kernels";

import { refMultiplyByQuantizedMultiplier } from "../../kernels/test/_requantizeReference";

export { refMultiplyByQuantizedMultiplier };

/** int32(acc + bias) requantized and clamped: one output code. */
export function refRequantizeOne(
  acc: number,
  bias: number,
  multiplier: number,
  shift: number,
  outputZeroPoint: number,
  outputMin: number,
  outputMax: number,
): number {
  const x = (acc + bias) | 0;
  const v = refMultiplyByQuantizedMultiplier(x, multiplier, shift) + outputZeroPoint;
  return Math.min(Math.max(v, outputMin), outputMax);
}

/** ONNX MatMulInteger with plain loops. */
export function refMatmulInteger(a: Int8Like, b: Int8Like, o: MatmulIntegerOptions): Int32Array {
  const { m, k, n } = o;
  const za = o.aZeroPoint ?? 0;
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const zb =
        typeof o.bZeroPoint === "number" || o.bZeroPoint === undefined
          ? (o.bZeroPoint ?? 0)
          : o.bZeroPoint[j]!;
      let s = 0;
      for (let kk = 0; kk < k; kk++) {
        const bv = o.transB ? b[j * k + kk]! : b[kk * n + j]!;
        s += (a[i * k + kk]! - za) * (bv - zb);
      }
      out[i * n + j] = s | 0;
    }
  }
  return out;
}

/** `Kernels.requantize` with the BigInt reference. */
export function refRequantize(
  acc: Int32Array,
  p: {
    multiplier: Int32Array;
    shift: Int32Array;
    outputZeroPoint: number;
    outputMin: number;
    outputMax: number;
    channels: number;
  },
): number[] {
  const out: number[] = [];
  for (let e = 0; e < acc.length; e++) {
    const c = p.multiplier.length === 1 ? 0 : e % p.channels;
    out.push(
      refRequantizeOne(
        acc[e]!,
        0,
        p.multiplier[c]!,
        p.shift[c]!,
        p.outputZeroPoint,
        p.outputMin,
        p.outputMax,
      ),
    );
  }
  return out;
}

/** `Kernels.quantizedLinear` with plain loops and the BigInt requantization. */
export function refQuantizedLinear(x: Uint8Array, layer: QuantizedLinearLayer, batch: number): Uint8Array {
  const { inFeatures: k, outFeatures: n } = layer;
  const out = new Uint8Array(batch * n);
  for (let i = 0; i < batch; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += (x[i * k + kk]! - layer.inputZeroPoint) * layer.weight[j * k + kk]!;
      const c = layer.multiplier.length === 1 ? 0 : j;
      out[i * n + j] = refRequantizeOne(
        s | 0,
        layer.bias[j]!,
        layer.multiplier[c]!,
        layer.shift[c]!,
        layer.outputZeroPoint,
        layer.outputMin,
        layer.outputMax,
      );
    }
  }
  return out;
}

/** `Kernels.quantizedConv2d` by direct convolution (padding holds the input zero point). */
export function refQuantizedConv2d(
  x: Uint8Array,
  L: QuantizedConv2dLayer,
  input: { batch: number; height: number; width: number },
): Uint8Array {
  const { batch, height: H, width: W } = input;
  const outH = Math.floor((H + 2 * L.padH - L.dilationH * (L.kernelH - 1) - 1) / L.strideH) + 1;
  const outW = Math.floor((W + 2 * L.padW - L.dilationW * (L.kernelW - 1) - 1) / L.strideW) + 1;
  const cg = L.inChannels / L.groups;
  const og = L.outChannels / L.groups;
  const out = new Uint8Array(batch * L.outChannels * outH * outW);
  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < L.outChannels; oc++) {
      const g = Math.floor(oc / og);
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          let s = 0;
          for (let ic = 0; ic < cg; ic++) {
            for (let kh = 0; kh < L.kernelH; kh++) {
              for (let kw = 0; kw < L.kernelW; kw++) {
                const ih = oh * L.strideH - L.padH + kh * L.dilationH;
                const iw = ow * L.strideW - L.padW + kw * L.dilationW;
                const xv =
                  ih < 0 || ih >= H || iw < 0 || iw >= W
                    ? L.inputZeroPoint
                    : x[((n * L.inChannels + g * cg + ic) * H + ih) * W + iw]!;
                s += (xv - L.inputZeroPoint) * L.weight[((oc * cg + ic) * L.kernelH + kh) * L.kernelW + kw]!;
              }
            }
          }
          const c = L.multiplier.length === 1 ? 0 : oc;
          out[((n * L.outChannels + oc) * outH + oh) * outW + ow] = refRequantizeOne(
            s | 0,
            L.bias[oc]!,
            L.multiplier[c]!,
            L.shift[c]!,
            L.outputZeroPoint,
            L.outputMin,
            L.outputMax,
          );
        }
      }
    }
  }
  return out;
}

/** fp32 GEMM accumulated in float64 (the exact answer the float32 kernels approximate). */
export function refMatmulF64(
  a: Float32Array,
  b: Float32Array,
  o: { m: number; k: number; n: number; transB?: boolean; bias?: Float32Array },
): Float64Array {
  const out = new Float64Array(o.m * o.n);
  for (let i = 0; i < o.m; i++) {
    for (let j = 0; j < o.n; j++) {
      let s = o.bias ? o.bias[j]! : 0;
      for (let kk = 0; kk < o.k; kk++)
        s += a[i * o.k + kk]! * (o.transB ? b[j * o.k + kk]! : b[kk * o.n + j]!);
      out[i * o.n + j] = s;
    }
  }
  return out;
}

/**
 * TFLite QuantizeMultiplier: a real multiplier as q * 2^(shift - 31) with q in [2^30, 2^31), by
 * frexp and rounding half away from zero (for building realistic layers in tests).
 */
export function refQuantizeMultiplier(real: number): { multiplier: number; shift: number } {
  if (real === 0) return { multiplier: 0, shift: 0 };
  let shift = Math.floor(Math.log2(real)) + 1;
  let frac = real / 2 ** shift;
  // Correct log2's rounding so that frac is in [0.5, 1).
  if (frac >= 1) {
    frac /= 2;
    shift += 1;
  } else if (frac < 0.5) {
    frac *= 2;
    shift -= 1;
  }
  let q = Math.round(frac * 2 ** 31);
  if (q === 2 ** 31) {
    q /= 2;
    shift += 1;
  }
  return { multiplier: q, shift };
}
