import { assertShape, normalizeAxis, type Shape } from "@quantkit/tensor";
import { _assertDTypeRange, _show, assertDType } from "./dtype";
import { type Granularity, granularityOf } from "./granularityOf";
import type { QParams } from "./qparams";
import { assertQScheme, isPerChannel } from "./qscheme";

const f32 = Math.fround;

/**
 * Quantization parameters checked against a tensor and laid out for the kernels: one entry per
 * (scale, zeroPoint) pair, all as exact doubles of the float32 / integer values PyTorch uses.
 */
export interface _Plan {
  n: number;
  granularity: Granularity;
  /** Element (o, c, i) of the (outer, channels, inner) view is at (o * channels + c) * inner + i. */
  outer: number;
  channels: number;
  inner: number;
  /** Elements along the axis per group (per_group), else 0. */
  groupSize: number;
  pairs: number;
  /** float32(scale) */
  scale: Float64Array;
  /** float32(1 / float32(scale)), PyTorch's `inv_scale` */
  inv: Float64Array;
  zeroPoint: Float64Array;
  /** quantMin - zeroPoint and quantMax - zeroPoint: the clamp bounds of round(x * inv). */
  lo: Float64Array;
  hi: Float64Array;
  quantMin: number;
  quantMax: number;
  /**
   * True when a bound exceeds 2^16 in magnitude (qint32-wide ranges): the kernels then mirror PyTorch's
   * float32 rounding of zeroPoint + round(x * inv) step by step. Narrow ranges (every range of 1..16
   * bits) take fast paths that give the same integers.
   */
  wide: boolean;
}

/** Checks `quantMin`/`quantMax`: integers, quantMin < quantMax, at most 2^16 codes (2^32 within int32 when `allow32`). */
export function _checkRange(quantMin: number, quantMax: number, allow32: boolean, prefix = ""): void {
  if (!Number.isInteger(quantMin))
    throw new TypeError(`${prefix}quantMin must be an integer, got ${_show(quantMin)}`);
  if (!Number.isInteger(quantMax))
    throw new TypeError(`${prefix}quantMax must be an integer, got ${_show(quantMax)}`);
  if (quantMin >= quantMax) {
    throw new RangeError(
      `${prefix}quantMin must be less than ${prefix}quantMax, got quantMin=${quantMin}, quantMax=${quantMax}`,
    );
  }
  const codes = quantMax - quantMin + 1;
  if (allow32) {
    if (quantMin < -2147483648 || quantMax > 2147483647) {
      throw new RangeError(
        `${prefix}quantMin and ${prefix}quantMax must lie in the int32 range, got [${quantMin}, ${quantMax}]`,
      );
    }
  } else if (codes > 65536) {
    throw new RangeError(
      `the range [${quantMin}, ${quantMax}] holds ${codes} codes, more than 2^16: bits must be in 1..16 (qint32 excepted)`,
    );
  }
}

/** QParams whose scale and zero point may be any array of numbers (checked here). */
export type _QParamsLike = Omit<QParams, "scale" | "zeroPoint"> & {
  scale: ArrayLike<number>;
  zeroPoint: ArrayLike<number>;
};

/**
 * Validates `qparams` against a tensor of `length` elements and `shape`, and lays it out.
 * `prefix` names the parameters in errors ("qparams." or "" for the PyTorch-named functions).
 */
export function _plan(
  length: number,
  shape: Shape,
  qparams: _QParamsLike,
  name = "x",
  prefix = "qparams.",
): _Plan {
  if (qparams === null || typeof qparams !== "object") {
    throw new TypeError(
      `qparams must be an object with scale, zeroPoint, quantMin, quantMax, qscheme; got ${String(qparams)}`,
    );
  }
  assertQScheme(qparams.qscheme, `${prefix}qscheme`);
  assertDType(qparams.dtype, `${prefix}dtype`);
  const { quantMin, quantMax } = qparams;
  _checkRange(quantMin, quantMax, qparams.dtype === "qint32", prefix);
  _assertDTypeRange(qparams.dtype, quantMin, quantMax, prefix);
  const n = assertShape(length, shape, name);
  if (n === 0)
    throw new RangeError(`${name} is empty (shape [${shape.join(", ")}]): there is nothing to quantize`);

  const granularity = granularityOf(qparams);
  let outer = 1;
  let channels = 1;
  let inner = n;
  let groupSize = 0;
  let pairs = 1;
  if (granularity === "per_tensor") {
    if (qparams.axis !== undefined) {
      throw new TypeError(
        `${prefix}axis is set (${qparams.axis}) but qscheme ${qparams.qscheme} is per tensor`,
      );
    }
  } else {
    if (!isPerChannel(qparams.qscheme)) {
      throw new TypeError(
        `${prefix}groupSize needs a per_channel_affine or per_channel_symmetric qscheme, got ${qparams.qscheme}`,
      );
    }
    if (shape.length === 0)
      throw new RangeError(`${granularity} quantization needs a tensor of rank >= 1, got shape []`);
    const axis = normalizeAxis(qparams.axis ?? 0, shape.length, `${prefix}axis`);
    outer = 1;
    inner = 1;
    for (let i = 0; i < axis; i++) outer *= shape[i]!;
    for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
    channels = shape[axis]!;
    if (granularity === "per_channel") {
      pairs = channels;
    } else {
      groupSize = qparams.groupSize!;
      if (!Number.isInteger(groupSize) || groupSize < 1) {
        throw new RangeError(`${prefix}groupSize must be a positive integer, got ${groupSize}`);
      }
      if (channels % groupSize !== 0) {
        throw new RangeError(
          `${prefix}groupSize = ${groupSize} does not divide shape[${axis}] = ${channels} (shape [${shape.join(", ")}])`,
        );
      }
      pairs = outer * (channels / groupSize) * inner;
    }
  }

  const { scale: s, zeroPoint: z } = qparams;
  if (s === null || typeof s !== "object" || typeof s.length !== "number") {
    throw new TypeError(`${prefix}scale must be a Float32Array, got ${String(s)}`);
  }
  if (z === null || typeof z !== "object" || typeof z.length !== "number") {
    throw new TypeError(`${prefix}zeroPoint must be an Int32Array, got ${String(z)}`);
  }
  const what =
    granularity === "per_tensor"
      ? "1 (per tensor)"
      : granularity === "per_channel"
        ? `${pairs} (one per channel along the axis)`
        : `${pairs} (one per group)`;
  if (s.length !== pairs) throw new RangeError(`${prefix}scale has ${s.length} values, expected ${what}`);
  if (z.length !== pairs) throw new RangeError(`${prefix}zeroPoint has ${z.length} values, expected ${what}`);

  const scale = new Float64Array(pairs);
  const inv = new Float64Array(pairs);
  const zeroPoint = new Float64Array(pairs);
  const lo = new Float64Array(pairs);
  const hi = new Float64Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const sp = f32(s[p]!);
    const ip = f32(1 / sp);
    // Non-positive, NaN, Infinity, and scales so small that float32(1 / scale) overflows (below 2^-128).
    if (!(sp > 0) || !Number.isFinite(sp) || !Number.isFinite(ip)) {
      throw new RangeError(
        `${prefix}scale[${p}] must be positive and finite (at least 2^-128 so that 1 / scale is a finite float32), got ${s[p]}`,
      );
    }
    const zp = z[p]!;
    if (!Number.isInteger(zp)) throw new TypeError(`${prefix}zeroPoint[${p}] must be an integer, got ${zp}`);
    if (zp < quantMin || zp > quantMax) {
      throw new RangeError(
        `${prefix}zeroPoint[${p}] = ${zp} is outside [quantMin, quantMax] = [${quantMin}, ${quantMax}]`,
      );
    }
    scale[p] = sp;
    inv[p] = ip;
    zeroPoint[p] = zp;
    lo[p] = quantMin - zp;
    hi[p] = quantMax - zp;
  }
  const wide = Math.max(-quantMin, quantMax) > 65536;
  return {
    n,
    granularity,
    outer,
    channels,
    inner,
    groupSize,
    pairs,
    scale,
    inv,
    zeroPoint,
    lo,
    hi,
    quantMin,
    quantMax,
    wide,
  };
}

/**
 * Calls `run(start, length, pairStart, pairStride)` for each stretch of contiguous elements: element
 * start + j uses pair pairStart + j * pairStride (pairStride 0: one pair for the whole stretch).
 * Per tensor: one stretch. Per channel: one stretch per (outer, channel) of `inner` elements, or per
 * outer row of `channels` elements when inner = 1. Per group: one stretch per group when inner = 1,
 * else one per (outer, channel) with the pairs varying along inner.
 */
export function _forEachRun(
  plan: _Plan,
  run: (start: number, length: number, pairStart: number, pairStride: number) => void,
): void {
  const { granularity, outer, channels, inner, groupSize } = plan;
  if (granularity === "per_tensor") {
    run(0, plan.n, 0, 0);
  } else if (granularity === "per_channel") {
    if (inner === 1) {
      for (let o = 0; o < outer; o++) run(o * channels, channels, 0, 1);
    } else {
      for (let o = 0; o < outer; o++) {
        for (let c = 0; c < channels; c++) run((o * channels + c) * inner, inner, c, 0);
      }
    }
  } else {
    const groups = channels / groupSize;
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        for (let g = 0; g < groups; g++) run(o * channels + g * groupSize, groupSize, o * groups + g, 0);
      }
    } else {
      for (let o = 0; o < outer; o++) {
        for (let c = 0; c < channels; c++) {
          run((o * channels + c) * inner, inner, (o * groups + Math.floor(c / groupSize)) * inner, 1);
        }
      }
    }
  }
}

/** Throws the error for a non-finite input value. */
export function _nonFinite(name: string, index: number, value: number): RangeError {
  return new RangeError(`${name}[${index}] is ${value}; only finite values can be quantized`);
}

/** Checks that `x` is a Float32Array (PyTorch's float32 input). */
export function _assertFloat32(x: unknown, name = "x"): asserts x is Float32Array {
  if (!(x instanceof Float32Array)) {
    throw new TypeError(`${name} must be a Float32Array, got ${Object.prototype.toString.call(x)}`);
  }
}
