import type { WeightLayout } from "./blockQuantized";

/**
 * What `applyToLinear` needs of a layer: the shape of `@quantkit/nn`'s Linear (weight [outFeatures,
 * inFeatures], row-major), so this package does not import nn.
 */
export interface LinearLike {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: { readonly data: Float32Array };
}

/**
 * Replaces a Linear layer's float weight with the weight a quantized result stands for (fake quantization
 * of the weight, for evaluating a method in float): `equivalentWeight` when the result has one (AWQ: the
 * layer keeps unscaled inputs), else `dequantized`. The bias is left alone. Returns the layer.
 *
 * @example
 * import { Linear } from "@quantkit/nn";
 * import { applyToLinear, gptq, linearWeight } from "@quantkit/weights";
 * const fc = new Linear(784, 100);
 * const { weight, shape } = linearWeight(fc);
 * applyToLinear(fc, gptq(weight, shape, calibrationInputs, { bits: 4, blockSize: 16 }));
 */
export function applyToLinear<L extends LinearLike>(
  layer: L,
  q: {
    readonly N: number;
    readonly K: number;
    readonly layout: WeightLayout;
    readonly dequantized: Float32Array;
    readonly equivalentWeight?: Float32Array;
  },
): L {
  if (q.N !== layer.outFeatures || q.K !== layer.inFeatures) {
    throw new RangeError(
      `applyToLinear: the result is N = ${q.N}, K = ${q.K}; the layer is outFeatures = ${layer.outFeatures}, inFeatures = ${layer.inFeatures}`,
    );
  }
  const src = q.equivalentWeight ?? q.dequantized;
  const data = layer.weight.data;
  if (q.layout === "NK") {
    data.set(src);
  } else {
    for (let k = 0; k < q.K; k++) for (let n = 0; n < q.N; n++) data[n * q.K + k] = src[k * q.N + n]!;
  }
  return layer;
}

/**
 * A Linear layer's weight as the methods take it: the data (not copied) and its shape [outFeatures, inFeatures].
 *
 * @example
 * linearWeight({ inFeatures: 3, outFeatures: 2, weight: { data: new Float32Array(6) } }).shape // [2, 3]
 */
export function linearWeight(layer: LinearLike): { weight: Float32Array; shape: [number, number] } {
  return { weight: layer.weight.data, shape: [layer.outFeatures, layer.inFeatures] };
}
