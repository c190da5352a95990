import { _packS8Swar } from "./_gemmS8Js";
import { _packS16A, _packS16BTransposed } from "./_packS16";
import { layerChecksum } from "./layerChecksum";
import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "./types";

/**
 * What the CPU kernels precompute for a prepared layer, kept beside it (a WeakMap keyed by the layer
 * object, so the contract types stay plain data and the plan goes away with its layer):
 * - `foldedBias[c] = bias[c] - inputZeroPoint * sum_k weight[c, k]` (int32, wrapping): gemmlowp's
 *   expansion, so the GEMM multiplies raw uint8 inputs and no zero point is subtracted per element;
 * - the weight packed in the layout each inner loop reads (WebAssembly int16 pairs, JS SWAR doubles).
 * A plan is checked against its layer on every use and rebuilt if anything it was built from changed:
 * the arrays by identity and by content (a checksum of weight, bias, multiplier and shift, so that an
 * in-place edit of `layer.weight` is seen too), and the input zero point.
 */
export interface _LayerPlan {
  weight: Int8Array;
  bias: Int32Array;
  inputZeroPoint: number;
  multiplier: Int32Array;
  shift: Int32Array;
  /** `layerChecksum` of the layer when the plan was built. */
  checksum: number;
  foldedBias: Int32Array;
  /** WebAssembly layout (packed lazily on first need; prepare* fills it eagerly). */
  s16: Int16Array | null;
  /** JS layout, linear only (conv packs its per-call im2col operand instead). */
  swar: Float64Array | null;
}

const plans = new WeakMap<object, _LayerPlan>();

let verify = true;

/** Turns the content check off (true by default); for the bench, which measures what it costs. */
export function _setPlanVerification(on: boolean): void {
  verify = on;
}

function foldBias(
  weight: Int8Array,
  bias: Int32Array,
  inputZeroPoint: number,
  rows: number,
  cols: number,
): Int32Array {
  const folded = new Int32Array(rows);
  for (let c = 0; c < rows; c++) {
    let sum = 0;
    for (let k = 0, o = c * cols; k < cols; k++) sum += weight[o + k]!;
    folded[c] = (bias[c]! - inputZeroPoint * sum) | 0;
  }
  return folded;
}

function planFor(layer: QuantizedLinearLayer | QuantizedConv2dLayer, rows: number, cols: number): _LayerPlan {
  const known = plans.get(layer);
  const sum = verify || !known ? layerChecksum(layer) : known.checksum;
  if (
    known &&
    known.weight === layer.weight &&
    known.bias === layer.bias &&
    known.multiplier === layer.multiplier &&
    known.shift === layer.shift &&
    known.inputZeroPoint === layer.inputZeroPoint &&
    known.checksum === sum
  ) {
    return known;
  }
  const plan: _LayerPlan = {
    weight: layer.weight,
    bias: layer.bias,
    inputZeroPoint: layer.inputZeroPoint,
    multiplier: layer.multiplier,
    shift: layer.shift,
    checksum: sum,
    foldedBias: foldBias(layer.weight, layer.bias, layer.inputZeroPoint, rows, cols),
    s16: null,
    swar: null,
  };
  plans.set(layer, plan);
  return plan;
}

/** The plan of a Linear layer (weight [outFeatures, inFeatures]). */
export function _linearPlan(layer: QuantizedLinearLayer): _LayerPlan {
  return planFor(layer, layer.outFeatures, layer.inFeatures);
}

/** The Linear weight as the WebAssembly B operand (transB, 8-column panels of int16 pairs). */
export function _linearS16(layer: QuantizedLinearLayer): { plan: _LayerPlan; packed: Int16Array } {
  const plan = _linearPlan(layer);
  plan.s16 ??= _packS16BTransposed(layer.weight, 0, layer.inFeatures, layer.inFeatures, layer.outFeatures);
  return { plan, packed: plan.s16 };
}

/** The Linear weight as the JS SWAR B operand. */
export function _linearSwar(layer: QuantizedLinearLayer): { plan: _LayerPlan; packed: Float64Array } {
  const plan = _linearPlan(layer);
  plan.swar ??= _packS8Swar(
    layer.weight,
    0,
    layer.inFeatures,
    true,
    layer.inFeatures,
    layer.outFeatures,
    null,
  );
  return { plan, packed: plan.swar };
}

/** Reduction length of one group of a conv layer: (inChannels / groups) * kernelH * kernelW. */
export function _convReduction(layer: QuantizedConv2dLayer): number {
  return (layer.inChannels / layer.groups) * layer.kernelH * layer.kernelW;
}

/** The plan of a conv layer (weight as [outChannels, reduction]). */
export function _convPlan(layer: QuantizedConv2dLayer): _LayerPlan {
  return planFor(layer, layer.outChannels, _convReduction(layer));
}

/**
 * The conv weight as WebAssembly A operands, one block of 4-row int16 panels per group
 * (group g starts at g * groupStride elements).
 */
export function _convS16(layer: QuantizedConv2dLayer): {
  plan: _LayerPlan;
  packed: Int16Array;
  groupStride: number;
} {
  const plan = _convPlan(layer);
  const q = _convReduction(layer);
  const og = layer.outChannels / layer.groups;
  const groupStride = ((og + 3) >> 2) * ((q + 1) >> 1) * 8;
  if (!plan.s16) {
    const packed = new Int16Array(groupStride * layer.groups);
    for (let g = 0; g < layer.groups; g++)
      packed.set(_packS16A(layer.weight, g * og * q, q, og, q), g * groupStride);
    plan.s16 = packed;
  }
  return { plan, packed: plan.s16, groupStride };
}
