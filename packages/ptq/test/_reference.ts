import { refConvOutSize, refQuantizedConv2d, refQuantizedLinear } from "../../kernels/test/_reference";
import type { QuantizedModel } from "../src/index";

/**
 * The integer model's output codes by plain loops and BigInt requantization: the slow, obviously
 * correct reference of `forwardCodes`. Linear and Conv2d layers are kernels' test references
 * (zero-point subtraction per element, BigInt sums, gemmlowp's fixed-point rounding, the clamp);
 * MaxPool2d, Flatten and ReLU on the codes are written out here.
 */
export function referenceForward(model: QuantizedModel, xq: Uint8Array, batch: number): Uint8Array {
  let x: Uint8Array = xq;
  let shape = [batch, ...model.inputShape];
  let zeroPoint = model.input.zeroPoint; // of the codes in x: the last Linear/Conv2d's output's
  for (const l of model.layers) {
    if (l.kind === "linear" || l.kind === "conv2d") zeroPoint = l.kernel.outputZeroPoint;
    if (l.kind === "linear") {
      const k = l.kernel;
      x = refQuantizedLinear(x, k, x.length / k.inFeatures);
      shape = [...shape.slice(0, -1), k.outFeatures];
    } else if (l.kind === "conv2d") {
      const k = l.kernel;
      const [n, , h, w] = shape as [number, number, number, number];
      const geometry = { ...k, batch: n, height: h, width: w };
      x = refQuantizedConv2d(geometry, x, k);
      shape = [n, k.outChannels, ...refConvOutSize(geometry)];
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
