// Slow, obviously-correct references written from the definitions, sharing no code with src/ kernels.
const f32 = Math.fround;

/** Round half to even from floor and the exact fractional part (t is a float32 value, so t - floor(t) is exact). */
export function refRoundHalfToEven(t: number): number {
  if (!Number.isFinite(t)) return t;
  const fl = Math.floor(t);
  const frac = t - fl;
  if (frac < 0.5) return fl;
  if (frac > 0.5) return fl + 1;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** Round half away from zero from |t|. */
export function refRoundHalfAwayFromZero(t: number): number {
  if (!Number.isFinite(t)) return t;
  const a = Math.abs(t);
  const fl = Math.floor(a);
  const r = a - fl >= 0.5 ? fl + 1 : fl;
  return t < 0 ? -r : r;
}

/**
 * PyTorch's CPU per-element quantization (fbgemm Quantize<T, LEGACY=false>, aten quantize_val,
 * the fake-quant kernels), each float32 step explicit:
 * inv = f32(1 / f32(scale)); t = f32(x * inv); qf = f32(zeroPoint + round(t)); q = clamp(qf).
 */
export function refCode(
  x: number,
  scale: number,
  zeroPoint: number,
  quantMin: number,
  quantMax: number,
  round: (t: number) => number = refRoundHalfToEven,
): { q: number; inRange: boolean } {
  const s = f32(scale);
  const inv = f32(1 / s);
  const t = f32(x * inv);
  const qf = f32(zeroPoint + round(t));
  const q = Math.min(Math.max(qf, quantMin), quantMax);
  return { q, inRange: qf >= quantMin && qf <= quantMax };
}

/** Fake quantization of one value: f32((q - zeroPoint) * f32(scale)). */
export function refFake(
  x: number,
  scale: number,
  zeroPoint: number,
  quantMin: number,
  quantMax: number,
): number {
  const { q } = refCode(x, scale, zeroPoint, quantMin, quantMax);
  return f32((q - zeroPoint) * f32(scale));
}

/**
 * The pair (scale, zeroPoint) index of flat element e: per channel the coordinate along `axis`; per
 * group the flat index in the shape with shape[axis] replaced by shape[axis] / groupSize.
 */
export function refPairIndex(
  e: number,
  shape: readonly number[],
  axis: number,
  groupSize: number | undefined,
): number {
  const coords: number[] = new Array(shape.length);
  let rest = e;
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = rest % shape[d]!;
    rest = Math.floor(rest / shape[d]!);
  }
  if (groupSize === undefined) return coords[axis]!;
  let index = 0;
  for (let d = 0; d < shape.length; d++) {
    const size = d === axis ? shape[d]! / groupSize : shape[d]!;
    const c = d === axis ? Math.floor(coords[d]! / groupSize) : coords[d]!;
    index = index * size + c;
  }
  return index;
}

/**
 * ONNX's QuantizeLinear for one value, from its reference implementation (numpy float32 arrays):
 * t = float32(x / float32(scale)); q = clamp(zeroPoint + round(t)) with an exact integer sum.
 */
export function refCodeOnnx(
  x: number,
  scale: number,
  zeroPoint: number,
  quantMin: number,
  quantMax: number,
  round: (t: number) => number = refRoundHalfToEven,
): number {
  const t = f32(f32(x) / f32(scale));
  const q = zeroPoint + round(t);
  return Math.min(Math.max(q, quantMin), quantMax);
}
