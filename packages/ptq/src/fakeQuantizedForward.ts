import { conv2dForward, MaxPool2d } from "@quantkit/nn";
import { fakeQuantize } from "@quantkit/quantizers";
import type { Tensor } from "@quantkit/tensor";
import { _toQParams } from "./_activation";
import { _outputShape } from "./_integerOps";
import type { ActivationQParams, IntegerConv2d, IntegerLinear } from "./integerLayers";
import type { QuantizedModel } from "./QuantizedModel";

/** The float weight and bias an integer layer stands for: codes * s_w and bias_q * fround(s_in * s_w). */
function dequantizedParameters(
  l: IntegerLinear | IntegerConv2d,
  input: ActivationQParams,
): {
  weight: Float32Array;
  bias: Float32Array;
} {
  const k = l.kernel;
  const channels = k.bias.length;
  const perChannel = k.weight.length / channels;
  const weight = new Float32Array(k.weight.length);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = l.weight.scale.length === 1 ? l.weight.scale[0]! : l.weight.scale[c]!;
    for (let i = c * perChannel; i < (c + 1) * perChannel; i++) weight[i] = k.weight[i]! * s;
    bias[c] = k.bias[c]! * Math.fround(input.scale * s);
  }
  return { weight, bias };
}

const fq = (x: Float32Array, a: ActivationQParams) => fakeQuantize(x, [x.length], _toQParams(a));

/**
 * The float model an integer model computes, run in float ("fake quantization", as PyTorch's QAT
 * simulates it): the input fake-quantized with the input qparams, each Linear/Conv2d computed in
 * float64 with the dequantized weights (codes * s_w) and bias (bias_q * s_in * s_w), a fused ReLU, then
 * fake-quantized to its output qparams (clamped to [quantMin, quantMax]); pooling, ReLU and Flatten in
 * float. Slow and obviously correct: the reference the integer forward pass is compared with. The two
 * differ only where the fixed-point requantization and the float product round a tie differently
 * (off by one code, rarely), so their predictions agree on almost every sample.
 *
 * @example
 * const sim = fakeQuantizedForward(quantized, x, batch);  // { data: Float32Array, shape }
 * const int = quantized.forward(x, batch);                 // the integer-only pass: nearly equal
 */
export function fakeQuantizedForward(model: QuantizedModel, x: Float32Array, batch: number): Tensor {
  if (!(x instanceof Float32Array))
    throw new TypeError(`x must be a Float32Array, got ${Object.prototype.toString.call(x)}`);
  if (!Number.isInteger(batch) || batch <= 0 || x.length !== batch * model.inputSize) {
    throw new RangeError(
      `x has ${x.length} values, which is not batch ${batch} x [${model.inputShape.join(", ")}]`,
    );
  }
  let v = fq(x, model.input);
  let shape: number[] = [batch, ...model.inputShape];
  for (const [i, l] of model.layers.entries()) {
    const input = i === 0 ? model.input : model.activations[i - 1]!;
    const outShape = _outputShape(l, shape);
    switch (l.kind) {
      case "linear": {
        const { weight, bias } = dequantizedParameters(l, input);
        const inF = l.kernel.inFeatures;
        const outF = l.kernel.outFeatures;
        const rows = v.length / inF;
        const y = new Float32Array(rows * outF);
        for (let r = 0; r < rows; r++) {
          for (let o = 0; o < outF; o++) {
            let sum = bias[o]!;
            for (let i = 0; i < inF; i++) sum += v[r * inF + i]! * weight[o * inF + i]!;
            y[r * outF + o] = l.relu && sum < 0 ? 0 : sum;
          }
        }
        v = fq(y, l.output);
        break;
      }
      case "conv2d": {
        const { weight, bias } = dequantizedParameters(l, input);
        const k = l.kernel;
        const y = conv2dForward(v, shape, weight, bias, {
          inChannels: k.inChannels,
          outChannels: k.outChannels,
          kernelH: k.kernelH,
          kernelW: k.kernelW,
          strideH: k.strideH,
          strideW: k.strideW,
          padTop: k.padH,
          padBottom: k.padH,
          padLeft: k.padW,
          padRight: k.padW,
          dilationH: k.dilationH,
          dilationW: k.dilationW,
          groups: k.groups,
        }).data;
        if (l.relu) for (let i = 0; i < y.length; i++) if (y[i]! < 0) y[i] = 0;
        v = fq(y, l.output);
        break;
      }
      case "maxpool2d":
        v = new MaxPool2d(l.kernelSize, {
          stride: l.stride,
          padding: l.padding,
          dilation: l.dilation,
          ceilMode: l.ceilMode,
        }).forward(v, shape).data;
        break;
      case "relu":
        v = v.map((t) => Math.max(t, 0));
        break;
      case "flatten":
        break;
    }
    shape = outShape;
  }
  return { data: v, shape };
}
