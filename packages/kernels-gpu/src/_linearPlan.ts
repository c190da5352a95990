import {
  assertQuantizedLinearLayer,
  checkQuantizedLinearArgs,
  layerChecksum,
  type QuantizedLinearLayer,
} from "@quantkit/kernels";
import { _blockPlan } from "./_blockPlan";
import type { _Device, _DeviceArray, _Plan } from "./_device";
import { _gemmPartialSource, _requantPartialSource } from "./_kernelSources";
import { _checkElements, _checkReduction } from "./_limits";
import { _requantParams } from "./_requantParams";

/** A Linear layer's weight and requantization parameters on the device. */
export interface _DeviceLinear {
  layer: QuantizedLinearLayer;
  /** int8 weight [outFeatures, inFeatures], flat. */
  weight: _DeviceArray;
  /** `_requantParams` of the layer, flat. */
  rq: _DeviceArray;
  /** `layerChecksum` of the layer when it was uploaded: a prepared layer edited in place is refused. */
  checksum: number;
}

/** Checks a layer and puts its weight and parameters on the device. */
export function* _uploadLinearPlan(
  dev: _Device,
  layer: QuantizedLinearLayer,
  where: string,
): _Plan<_DeviceLinear> {
  _checkLinearLayer(where, layer);
  const rqHost = _requantParams(layer.outFeatures, layer.multiplier, layer.shift, layer.bias);
  const weight = yield* dev.upload(layer.weight);
  try {
    const rq = yield* dev.upload(rqHost);
    return { layer, weight, rq, checksum: layerChecksum(layer) };
  } catch (e) {
    dev.release(weight);
    throw e;
  }
}

/** Frees what `_uploadLinearPlan` put on the device. */
export function _releaseLinear(dev: _Device, d: _DeviceLinear): void {
  dev.release(d.weight);
  dev.release(d.rq);
}

/**
 * A chain of quantized Linear layers, y = requantize(x W^T + bias) each, run with one upload of x,
 * one readback of the last output, and every intermediate (block partials, codes) left on the
 * device. `layers[l]` is a layer already on the device, or one uploaded for this call and freed
 * after it.
 */
export function* _linearSequencePlan(
  dev: _Device,
  x: Uint8Array,
  layers: readonly (QuantizedLinearLayer | _DeviceLinear)[],
  batch: number,
  out: Uint8Array | undefined,
  isOnDevice: (layer: QuantizedLinearLayer | _DeviceLinear) => layer is _DeviceLinear,
): _Plan<Uint8Array> {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new RangeError("layers must be a non-empty array of quantized Linear layers");
  }
  const plain = (l: QuantizedLinearLayer | _DeviceLinear) => (isOnDevice(l) ? l.layer : l);
  for (let l = 0; l < layers.length; l++) {
    const layer = plain(layers[l]!);
    const where = layers.length === 1 ? "layer" : `layers[${l}]`;
    if (!isOnDevice(layers[l]!)) _checkLinearLayer(where, layer);
    if (l > 0 && layer.inFeatures !== plain(layers[l - 1]!).outFeatures) {
      throw new RangeError(
        `layers[${l}].inFeatures (${layer.inFeatures}) must equal layers[${l - 1}].outFeatures (${plain(layers[l - 1]!).outFeatures})`,
      );
    }
  }
  const first = plain(layers[0]!);
  const last = plain(layers[layers.length - 1]!);
  // The contract's checks of x, batch and out; a chain's out is checked against its last layer.
  const single = checkQuantizedLinearArgs(x, first, batch, layers.length === 1 ? out : undefined);
  for (let l = 0; l < layers.length; l++) {
    _checkElements(`batch * layers[${l}].outFeatures`, batch * plain(layers[l]!).outFeatures);
  }
  _checkElements("batch * inFeatures", batch * first.inFeatures);
  const result = layers.length === 1 ? single : (out ?? new Uint8Array(batch * last.outFeatures));
  if (!(result instanceof Uint8Array) || result.length !== batch * last.outFeatures) {
    throw new RangeError(
      `out must be a Uint8Array of length batch * outFeatures of the last layer (${batch} * ${last.outFeatures}), got ${result}`,
    );
  }

  if (batch === 0) return result;
  const uploaded: _DeviceLinear[] = [];
  const held: _DeviceArray[] = [];
  try {
    let current = yield* dev.upload(x);
    held.push(current);
    for (let l = 0; l < layers.length; l++) {
      const entry = layers[l]!;
      let d: _DeviceLinear;
      if (isOnDevice(entry)) {
        d = entry;
      } else {
        d = yield* _uploadLinearPlan(dev, entry, `layers[${l}]`);
        uploaded.push(d);
      }
      const { inFeatures: k, outFeatures: n, inputZeroPoint: zx } = d.layer;
      // |x - zx| <= max(zx, 255 - zx), |w| <= 128.
      const { block, nb } = _blockPlan(k, Math.max(zx, 255 - zx) * 128);
      const partial = yield* dev.compute(
        _gemmPartialSource({ m: batch, k, n, block, nb, transB: true, bZero: "none" }),
        nb > 1 ? [n, batch, nb] : [batch * n],
        block,
        [current, d.weight, zx, 0],
      );
      held.push(partial);
      dev.release(held.splice(held.indexOf(current), 1)[0]);
      const codes = yield* dev.compute(
        _requantPartialSource(nb, n, "col", n),
        [batch * n],
        Math.max(nb, 31),
        [partial, d.rq, d.layer.outputZeroPoint, d.layer.outputMin, d.layer.outputMax],
      );
      held.push(codes);
      dev.release(held.splice(held.indexOf(partial), 1)[0]);
      current = codes;
    }
    held.splice(held.indexOf(current), 1);
    result.set(yield* dev.read(current, batch * last.outFeatures));
    return result;
  } finally {
    for (const v of held) dev.release(v);
    for (const d of uploaded) _releaseLinear(dev, d);
  }
}

/** The contract's checks of a Linear layer, then the GPU's bounds on its sizes. */
function _checkLinearLayer(where: string, layer: QuantizedLinearLayer): void {
  assertQuantizedLinearLayer(layer, where);
  _checkReduction(`${where}.inFeatures`, layer.inFeatures);
  _checkElements(`${where}.outFeatures`, layer.outFeatures);
}
