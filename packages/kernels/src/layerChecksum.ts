import { _checksum } from "./_checksum";

/**
 * A 32-bit checksum of what a quantized layer's integer arithmetic reads: its weight, bias, multiplier
 * and shift. Prepared layers keep the checksum they were built from and compare it on every call, so an
 * in-place edit of `layer.weight` is seen (the CPU kernels rebuild their plan; `createGpuKernels`
 * refuses a changed prepared layer). A change to any one 32-bit word always changes the checksum.
 *
 * @example
 * const layer = prepareQuantizedLinear({ weight: new Int8Array([1, 2]), inFeatures: 2, outFeatures: 1, weightScale: 0.1, inputScale: 0.1, inputZeroPoint: 0, outputScale: 0.1, outputZeroPoint: 0 });
 * const before = layerChecksum(layer);
 * layer.weight[0] = 3;
 * layerChecksum(layer) === before // false
 */
export function layerChecksum(layer: {
  weight: Int8Array;
  bias: Int32Array;
  multiplier: Int32Array;
  shift: Int32Array;
}): number {
  let h = _checksum(layer.weight);
  h = _checksum(layer.bias, h);
  h = _checksum(layer.multiplier, h);
  return _checksum(layer.shift, h);
}
