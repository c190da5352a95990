import { roundHalfToEven } from "@quantkit/quantizers";
import { _assertInstance, _assertIntIn, _assertLength, _assertPositiveFinite, _describe } from "./_validate";
import { quantizeMultiplier } from "./quantizeMultiplier";

/** Per-tensor (one number) or per-output-channel scales. */
export type Scales = number | Float32Array | Float64Array;

/** The scales resolved to one float64 per output channel (a per-tensor scale repeated), each checked. */
export function _channelScales(
  scale: Scales,
  channels: number,
  name: string,
): { values: Float64Array; perChannel: boolean } {
  if (typeof scale === "number") {
    _assertPositiveFinite(scale, name);
    return { values: new Float64Array(channels).fill(scale), perChannel: false };
  }
  if (!(scale instanceof Float32Array) && !(scale instanceof Float64Array)) {
    throw new TypeError(`${name} must be a number or a Float32Array/Float64Array, got ${_describe(scale)}`);
  }
  _assertLength(scale, channels, name, "the number of output channels");
  for (let c = 0; c < channels; c++) _assertPositiveFinite(scale[c], `${name}[${c}]`);
  return { values: Float64Array.from(scale), perChannel: true };
}

/**
 * The float parameters every quantized layer takes beside its weight codes and shape
 * (`prepareQuantizedLinear`, `prepareQuantizedConv2d`).
 */
export interface QuantizedLayerParams {
  /** Weight scale: one for the tensor (per_tensor_symmetric) or one per output channel (per_channel_symmetric). */
  weightScale: Scales;
  /** Scale and zero point of the uint8 input. */
  inputScale: number;
  inputZeroPoint: number;
  /**
   * Optional bias [output channels]: a float bias is quantized to int32 at scale inputScale * weightScale[c];
   * an Int32Array is that int32 bias already (a saved model's, ONNX QLinearConv's B) and is kept as it is.
   */
  bias?: Float32Array | Int32Array | null;
  /** Scale and zero point of the uint8 output. */
  outputScale: number;
  outputZeroPoint: number;
  /** Fuse a ReLU: clamp the output codes below at outputZeroPoint (the code of 0.0). */
  relu?: boolean;
  /**
   * Lowest output code, an integer in [0, 255]; default 0. Narrower than uint8 for an activation with a
   * smaller range (PyTorch's `quant_min`, e.g. 0 for a 4-bit quint4 activation). A fused `relu` raises it
   * to outputZeroPoint.
   */
  outputMin?: number;
  /** Highest output code, an integer in [outputMin, 255]; default 255 (e.g. 15 for a 4-bit activation). */
  outputMax?: number;
}

/** The keys of {@link QuantizedLayerParams}, for the options check. */
export const _LAYER_PARAM_KEYS = [
  "weightScale",
  "inputScale",
  "inputZeroPoint",
  "bias",
  "outputScale",
  "outputZeroPoint",
  "relu",
  "outputMin",
  "outputMax",
] as const;

/** The integer parts every quantized layer shares: int32 bias, fixed-point multipliers, output clamp. */
export interface _QuantizedParts {
  bias: Int32Array;
  multiplier: Int32Array;
  shift: Int32Array;
  outputMin: number;
  outputMax: number;
}

/**
 * Turns the float parameters of a layer into its integer parts, as TFLite's converter does:
 * - product scale s_in * s_w[c] is a float32 product (TFLite: `input_scale * filter_scale` in float);
 * - bias_q[c] = round_half_even(bias[c] / productScale[c]) as int32 (PyTorch/fbgemm: scale s_in s_w, zero point 0);
 *   an Int32Array bias is taken as that bias_q already (ONNX QLinearConv's B), as it is;
 * - the real multiplier productScale[c] / s_out (in double) becomes (multiplier, shift) by quantizeMultiplier;
 * - outputs are uint8 codes clamped to [outputMin, outputMax] (default [0, 255], e.g. a 4-bit activation's
 *   [0, 15]), with a fused ReLU raising outputMin to the output zero point (the code of 0.0).
 * Per-tensor weight scales give one multiplier; per-channel ones give one per output channel.
 */
export function _quantizeLayerParts(channels: number, p: QuantizedLayerParams): _QuantizedParts {
  _assertPositiveFinite(p.inputScale, "inputScale");
  _assertPositiveFinite(p.outputScale, "outputScale");
  _assertIntIn(p.inputZeroPoint, 0, 255, "inputZeroPoint", "uint8");
  _assertIntIn(p.outputZeroPoint, 0, 255, "outputZeroPoint", "uint8");
  const { values: weightScale, perChannel } = _channelScales(p.weightScale, channels, "weightScale");
  const relu = p.relu ?? false;
  if (typeof relu !== "boolean") throw new TypeError(`relu must be a boolean, got ${typeof relu}`);
  const { outputMin, outputMax } = _outputClamp(p.outputMin, p.outputMax, p.outputZeroPoint, relu);
  let bias: Int32Array = new Int32Array(channels);
  const productScale = _productScales(p.inputScale, weightScale);
  if (p.bias instanceof Int32Array) {
    _assertLength(p.bias, channels, "bias", "the number of output channels");
    bias = p.bias;
  } else if (p.bias != null) {
    _assertInstance(p.bias, Float32Array, "Float32Array or Int32Array", "bias");
    _assertLength(p.bias, channels, "bias", "the number of output channels");
    for (let c = 0; c < channels; c++) {
      const b = p.bias[c]!;
      if (!Number.isFinite(b)) throw new RangeError(`bias[${c}] must be finite, got ${b}`);
      const q = roundHalfToEven(b / productScale[c]!);
      if (q < -2147483648 || q > 2147483647) {
        throw new RangeError(
          `bias[${c}] = ${b} quantizes to ${q} at scale inputScale * weightScale = ${productScale[c]}, outside int32`,
        );
      }
      bias[c] = q;
    }
  }
  const { multiplier, shift } = _multipliers(productScale, p.outputScale, perChannel);
  return { bias, multiplier, shift, outputMin, outputMax };
}

/**
 * The fixed-point multipliers of the product scales fround(s_in * s_w[c]) over s_out (in double): one
 * per channel, or the first alone for a per-tensor weight scale.
 */
export function _multipliers(
  productScale: Float64Array,
  outputScale: number,
  perChannel: boolean,
): { multiplier: Int32Array; shift: Int32Array } {
  const count = perChannel ? productScale.length : 1;
  const multiplier = new Int32Array(count);
  const shift = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    const real = productScale[c]! / outputScale;
    let q: { multiplier: number; shift: number };
    try {
      q = quantizeMultiplier(real);
    } catch (error) {
      throw new RangeError(
        `inputScale * weightScale${perChannel ? `[${c}]` : ""} / outputScale = ${real} is not a usable multiplier: ${(error as Error).message}`,
      );
    }
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  return { multiplier, shift };
}

/** The product scales fround(s_in * s_w[c]) (float32 products, as TFLite's converter takes them). */
export function _productScales(inputScale: number, weightScale: Float64Array): Float64Array {
  const out = new Float64Array(weightScale.length);
  for (let c = 0; c < out.length; c++) out[c] = Math.fround(inputScale * weightScale[c]!);
  return out;
}

/**
 * The output clamp [outputMin, outputMax] of a layer: integers in uint8's [0, 255] (default the whole
 * range), outputMin <= outputMax; a fused ReLU raises outputMin to `outputZeroPoint`, which must then
 * not exceed outputMax (else every output would be clamped above the code of 0.0).
 */
function _outputClamp(
  min: number | undefined,
  max: number | undefined,
  outputZeroPoint: number,
  relu: boolean,
): { outputMin: number; outputMax: number } {
  const lo = min ?? 0;
  const hi = max ?? 255;
  _assertIntIn(lo, 0, 255, "outputMin", "uint8");
  _assertIntIn(hi, 0, 255, "outputMax", "uint8");
  if (lo > hi) throw new RangeError(`outputMin (${lo}) must be <= outputMax (${hi})`);
  if (relu && outputZeroPoint > hi) {
    throw new RangeError(
      `outputMax (${hi}) must be >= outputZeroPoint (${outputZeroPoint}) with relu: the fused ReLU raises outputMin to the output zero point`,
    );
  }
  return { outputMin: relu ? Math.max(lo, outputZeroPoint) : lo, outputMax: hi };
}
