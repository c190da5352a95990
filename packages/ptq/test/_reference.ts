import { refMultiplyByQuantizedMultiplier } from "../../kernels/test/_requantizeReference";
import type { QuantizedModel } from "../src/index";

/** TFLite's MultiplyByQuantizedMultiplier, in BigInt: the one reference kernels' tests hold. */
export const requantizeReference = refMultiplyByQuantizedMultiplier;

/**
 * The integer model's output codes by plain loops and BigInt requantization: the slow, obviously
 * correct reference of `forwardCodes` (zero-point subtraction per element, int32 sums as exact JS
 * integers, gemmlowp's fixed-point rounding, the clamp).
 */
export function referenceForward(model: QuantizedModel, xq: Uint8Array, batch: number): Uint8Array {
  let x: Uint8Array = xq;
  let shape = [batch, ...model.inputShape];
  let zeroPoint = model.input.zeroPoint; // of the codes in x: the last Linear/Conv2d's output's
  for (const l of model.layers) {
    if (l.kind === "linear" || l.kind === "conv2d") zeroPoint = l.kernel.outputZeroPoint;
    if (l.kind === "linear") {
      const k = l.kernel;
      const rows = x.length / k.inFeatures;
      const y = new Uint8Array(rows * k.outFeatures);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < k.outFeatures; o++) {
          let acc = k.bias[o]!;
          for (let i = 0; i < k.inFeatures; i++)
            acc += (x[r * k.inFeatures + i]! - k.inputZeroPoint) * k.weight[o * k.inFeatures + i]!;
          const c = k.multiplier.length === 1 ? 0 : o;
          const v = requantizeReference(acc, k.multiplier[c]!, k.shift[c]!) + k.outputZeroPoint;
          y[r * k.outFeatures + o] = Math.min(Math.max(v, k.outputMin), k.outputMax);
        }
      }
      x = y;
      shape = [...shape.slice(0, -1), k.outFeatures];
    } else if (l.kind === "conv2d") {
      const k = l.kernel;
      const [n, c, h, w] = shape as [number, number, number, number];
      const outH = Math.floor((h + 2 * k.padH - k.dilationH * (k.kernelH - 1) - 1) / k.strideH) + 1;
      const outW = Math.floor((w + 2 * k.padW - k.dilationW * (k.kernelW - 1) - 1) / k.strideW) + 1;
      const cg = c / k.groups;
      const og = k.outChannels / k.groups;
      const y = new Uint8Array(n * k.outChannels * outH * outW);
      for (let b = 0; b < n; b++)
        for (let o = 0; o < k.outChannels; o++) {
          const g = Math.floor(o / og);
          for (let oh = 0; oh < outH; oh++)
            for (let ow = 0; ow < outW; ow++) {
              let acc = k.bias[o]!;
              for (let ci = 0; ci < cg; ci++)
                for (let i = 0; i < k.kernelH; i++)
                  for (let j = 0; j < k.kernelW; j++) {
                    const ih = oh * k.strideH - k.padH + i * k.dilationH;
                    const iw = ow * k.strideW - k.padW + j * k.dilationW;
                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue; // padding is the zero point: x - z = 0
                    const xv = x[((b * c + g * cg + ci) * h + ih) * w + iw]! - k.inputZeroPoint;
                    acc += xv * k.weight[((o * cg + ci) * k.kernelH + i) * k.kernelW + j]!;
                  }
              const m = k.multiplier.length === 1 ? 0 : o;
              const v = requantizeReference(acc, k.multiplier[m]!, k.shift[m]!) + k.outputZeroPoint;
              y[((b * k.outChannels + o) * outH + oh) * outW + ow] = Math.min(
                Math.max(v, k.outputMin),
                k.outputMax,
              );
            }
        }
      x = y;
      shape = [n, k.outChannels, outH, outW];
    } else if (l.kind === "maxpool2d") {
      const [n, c, h, w] = shape as [number, number, number, number];
      const [kh, kw] = l.kernelSize;
      const [sh, sw] = l.stride;
      const outH = Math.floor((h - kh) / sh) + 1;
      const outW = Math.floor((w - kw) / sw) + 1;
      const y = new Uint8Array(n * c * outH * outW);
      for (let p = 0; p < n * c; p++)
        for (let oh = 0; oh < outH; oh++)
          for (let ow = 0; ow < outW; ow++) {
            let best = 0;
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++)
                best = Math.max(best, x[p * h * w + (oh * sh + i) * w + ow * sw + j]!);
            y[(p * outH + oh) * outW + ow] = best;
          }
      x = y;
      shape = [n, c, outH, outW];
    } else if (l.kind === "flatten") {
      shape = [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
    } else {
      x = x.map((v) => Math.max(v, zeroPoint));
    }
  }
  return x;
}
