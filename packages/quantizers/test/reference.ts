import type { Rng } from "@quantkit/tensor";

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

// Values that stress the rounding: ordinary floats, exact ties (k + 0.5) * scale, float32 neighbours of
// ties, signed zeros, subnormals and values far outside the range.
export function stressValues(rng: Rng, n: number, scale: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(600) - 300;
    const tie = f32((k + 0.5) * scale);
    switch (rng.int(8)) {
      case 0:
        x[i] = tie;
        break;
      case 1:
        x[i] = nextFloat32(tie, rng.int(2) === 0 ? 1 : -1);
        break;
      case 2:
        x[i] = rng.int(2) === 0 ? 0 : -0;
        break;
      case 3:
        x[i] = (rng.int(2) === 0 ? 1 : -1) * 1e-40;
        break;
      case 4:
        x[i] = rng.uniform(-1e6, 1e6);
        break;
      default:
        x[i] = rng.uniform(-300, 300) * scale;
    }
  }
  return x;
}

function nextFloat32(v: number, direction: 1 | -1): number {
  const b = new Float32Array([v]);
  const u = new Int32Array(b.buffer);
  if (v === 0) return direction * 1e-45;
  u[0]! += v > 0 === direction > 0 ? 1 : -1;
  return b[0]!;
}
