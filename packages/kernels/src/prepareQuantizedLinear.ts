import { assertOptions } from "@quantkit/tensor";
import { _linearS16 } from "./_plans";
import { _LAYER_PARAM_KEYS, _quantizeLayerParts, type QuantizedLayerParams } from "./_quantizeLayer";
import { _assertInstance, _assertLength, _assertPositiveInt } from "./_validate";
import type { QuantizedLinearLayer } from "./types";

/** The float parameters of a quantized Linear layer (PyTorch's `nn.quantized.Linear` ingredients). */
export interface QuantizedLinearParams extends QuantizedLayerParams {
  /** int8 weights [outFeatures, inFeatures], symmetric (zero point 0). */
  weight: Int8Array;
  /** Default: weight.length / outFeatures. */
  inFeatures?: number;
  /** Default: the length of `bias` or of a per-channel `weightScale` (required when neither gives it). */
  outFeatures?: number;
}

/**
 * Prepares a quantized Linear layer for integer-only inference: the bias becomes int32 (scale
 * s_in * s_w[c]), each real multiplier s_in * s_w[c] / s_out becomes a fixed-point multiplier and shift
 * ({@link quantizeMultiplier}); this is the last float in the layer. For the CPU kernels it also
 * folds the input zero point into the bias (bias[c] - z_in * sum_k w[c, k], gemmlowp's expansion) and
 * packs the weight into the WebAssembly inner loop's layout, kept beside the returned layer.
 *
 * Treat the returned layer as immutable: the kernels cache per layer object (they re-check the weight,
 * bias and zero point arrays' identity on every call).
 *
 * The output codes are clamped to [outputMin, outputMax] (default [0, 255]); a fused ReLU raises
 * outputMin to outputZeroPoint.
 *
 * Errors: a weight of the wrong length, scales that are not positive and finite, zero points outside
 * uint8, a bias that does not fit int32, outputMin/outputMax that are not integers in [0, 255] or
 * out of order, or an outputMax below outputZeroPoint with `relu` (RangeError); wrong array types
 * (TypeError).
 *
 * @example
 * const layer = prepareQuantizedLinear({
 *   weight: new Int8Array([64, -32, 0, 127]), inFeatures: 2, outFeatures: 2,
 *   weightScale: 0.01, inputScale: 0.02, inputZeroPoint: 128,
 *   bias: new Float32Array([0.1, -0.2]), outputScale: 0.05, outputZeroPoint: 100, relu: false,
 * });
 * layer.bias       // Int32Array [500, -1000]  (0.1 / (0.02 * 0.01))
 * layer.multiplier // Int32Array [1099511600]  (0.02 * 0.01 / 0.05 = 0.004 ~ 1099511600 * 2^(-7 - 31))
 * layer.shift      // Int32Array [-7]
 *
 * // A 4-bit activation (codes 0..15, zero point 3) with a fused ReLU:
 * const int4 = prepareQuantizedLinear({
 *   weight: new Int8Array([64, -32, 0, 127]), inFeatures: 2, outFeatures: 2,
 *   weightScale: 0.01, inputScale: 0.02, inputZeroPoint: 128,
 *   outputScale: 0.5, outputZeroPoint: 3, relu: true, outputMin: 0, outputMax: 15,
 * });
 * [int4.outputMin, int4.outputMax] // [3, 15]
 */
export function prepareQuantizedLinear(params: QuantizedLinearParams): QuantizedLinearLayer {
  assertOptions(
    params,
    ["weight", "inFeatures", "outFeatures", ..._LAYER_PARAM_KEYS],
    "prepareQuantizedLinear params",
  );
  if (typeof params !== "object" || params === null) throw new TypeError("params must be an object");
  const { weight } = params;
  _assertInstance(weight, Int8Array, "Int8Array", "weight");
  const outFeatures =
    params.outFeatures ??
    params.bias?.length ??
    (typeof params.weightScale === "number" ? undefined : params.weightScale?.length);
  if (outFeatures === undefined) {
    throw new TypeError("outFeatures is required when neither bias nor a per-channel weightScale gives it");
  }
  _assertPositiveInt(outFeatures, "outFeatures");
  const inFeatures = params.inFeatures ?? weight.length / outFeatures;
  _assertPositiveInt(inFeatures, "inFeatures");
  _assertLength(
    weight,
    outFeatures * inFeatures,
    "weight",
    `outFeatures * inFeatures (${outFeatures} * ${inFeatures})`,
  );
  const parts = _quantizeLayerParts(outFeatures, params);
  const layer: QuantizedLinearLayer = {
    inFeatures,
    outFeatures,
    weight,
    inputZeroPoint: params.inputZeroPoint,
    outputZeroPoint: params.outputZeroPoint,
    ...parts,
  };
  _linearS16(layer); // fold the bias and pack the weight now, not on the first call
  return layer;
}
