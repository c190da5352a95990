import { transpose2d } from "@quantkit/tensor";
import { _linear } from "./_matmul";
import { _checkCalibration, _checkKeys, _checkLayout, _checkMatrix, _checkNumber } from "./_validate";
import type { WeightLayout } from "./blockQuantized";

/**
 * A block that AWQ measures a scale through (AutoAWQ's `module2inspect`): its output (any layout, the
 * same for every call) on the calibration rows x [rows, K] when the layers being scaled have these weights (in the order and layout of the
 * layers given to `awqScale`). Everything else in the block stays float.
 */
export interface AwqModule {
  forward(x: Float32Array, rows: number, weights: readonly Float32Array[]): Float64Array;
}

/** One more weight of the block that is not being scaled (the output projection). */
export interface ModuleWeight {
  /** [N, K] (the module's `layout`, default "NK") or [K, N] with "KN". */
  readonly weight: Float32Array;
  /** The shape of `weight` as laid out. */
  readonly shape: readonly [number, number];
  /** [N], added to the product. */
  readonly bias?: Float32Array;
}

/** The attention block around q, k and v. */
export interface AttentionModuleOptions {
  /** Number of heads: q, k and v's outputs are split into this many equal parts. */
  heads: number;
  /** The rows of x are sequences of this many consecutive tokens (rows a multiple of it). */
  sequenceLength: number;
  /** Multiplies q . k before the mask and the softmax (default 1 / sqrt(head size)). */
  scale?: number;
  /** Additive mask [sequenceLength, sequenceLength] (row: query, column: key), e.g. -Infinity above the diagonal. */
  mask?: Float32Array;
  /** Biases [N] of q, k and v (undefined: none). */
  bias?: readonly [Float32Array | undefined, Float32Array | undefined, Float32Array | undefined];
  /** The output projection o: the module's output is o's (AutoAWQ's self_attn); without it, the heads' outputs concatenated. */
  output?: ModuleWeight;
  /** The weights' layout: "NK" (default, [outFeatures, inFeatures]) or "KN" (ONNX MatMul's B). */
  layout?: WeightLayout;
}

const KEYS = ["heads", "sequenceLength", "scale", "mask", "bias", "output", "layout"];

/**
 * Multi-head scaled dot-product attention as an {@link AwqModule}: for the weights [Wq, Wk, Wv],
 * q = x Wq^T + bq (k, v alike) split into `heads` heads; per sequence and head,
 * softmax(scale q k^T + mask) v; the heads concatenated, then through the output projection when given.
 * float64 sums; a mask entry of -Infinity drops the key. This is the loss AutoAWQ and llm-awq use for the
 * q / k / v scale: the attention output, which sees what a q or k error does through the softmax.
 *
 * @example
 * import { attentionModule, awqScale } from "@quantkit/weights";
 * const T = 16;
 * const mask = new Float32Array(T * T).map((_, i) => (i % T > Math.floor(i / T) ? -Infinity : 0));
 * const module = attentionModule({ heads: 4, sequenceLength: T, mask, output: { weight: wo, shape: [64, 64] } });
 * const layers = [wq, wk, wv].map((weight) => ({ weight, shape: [64, 64] as const }));
 * awqScale(layers, x, { module }).alpha; // the exponent whose scale keeps the block's output closest
 */
export function attentionModule(options: AttentionModuleOptions): AwqModule {
  const fn = "attentionModule";
  if (options === null || typeof options !== "object")
    throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  _checkKeys(options, KEYS, fn);
  const heads = _checkNumber(options.heads, "heads", fn, 1, 1 << 16, true);
  const T = _checkNumber(options.sequenceLength, "sequenceLength", fn, 1, 1 << 20, true);
  const layout = _checkLayout(options.layout ?? "NK", fn);
  if (options.scale !== undefined) _checkNumber(options.scale, "scale", fn, -1e30, 1e30);
  const mask = options.mask;
  if (mask !== undefined) {
    if (!(mask instanceof Float32Array) || mask.length !== T * T)
      throw new RangeError(
        `${fn}: mask must be a Float32Array of ${T} x ${T}, got ${String(mask?.length)} values`,
      );
    const bad = mask.findIndex((v) => Number.isNaN(v) || v === Number.POSITIVE_INFINITY);
    if (bad >= 0) throw new RangeError(`${fn}: mask[${bad}] is ${mask[bad]}`);
    for (let i = 0; i < T; i++) {
      if (mask.subarray(i * T, (i + 1) * T).every((v) => v === Number.NEGATIVE_INFINITY))
        throw new RangeError(`${fn}: mask row ${i} is -Infinity everywhere: query ${i} attends to nothing`);
    }
  }
  const o = options.output;
  const wo = o === undefined ? null : _nk(o.weight, o.shape, layout, "output.weight", fn);
  return {
    forward(x: Float32Array, rows: number, weights: readonly Float32Array[]): Float64Array {
      if (weights.length !== 3)
        throw new RangeError(`${fn}: forward takes [Wq, Wk, Wv], got ${weights.length}`);
      const K = _checkNumber(x.length / rows, "calibration width", fn, 1, 1 << 30, true);
      _checkCalibration(x, K, fn);
      for (const [i, w] of weights.entries()) {
        if (!(w instanceof Float32Array) || w.length === 0 || w.length % K !== 0)
          throw new RangeError(`${fn}: weights[${i}] has ${w?.length} values, not N x K with K = ${K}`);
      }
      if (rows % T !== 0) throw new RangeError(`${fn}: ${rows} rows are not sequences of ${T}`);
      const [q, k, v] = weights.map((w, i) => {
        const N = w.length / K;
        const nk = layout === "NK" ? w : transpose2d(w, K, N);
        const b = options.bias?.[i];
        if (b !== undefined && b.length !== N)
          throw new RangeError(`${fn}: bias[${i}] has ${b.length} values, the layer has ${N} outputs`);
        return { y: _linear(x, rows, K, nk, N, b ?? null), N };
      }) as [Projection, Projection, Projection];
      if (q.N !== k.N || q.N % heads !== 0 || v.N % heads !== 0) {
        throw new RangeError(
          `${fn}: q and k need the same outputs and q, v a multiple of heads = ${heads}; got ${q.N}, ${k.N}, ${v.N}`,
        );
      }
      const a = _attention(q, k, v, rows, T, heads, options.scale ?? 1 / Math.sqrt(q.N / heads), mask);
      if (wo === null) return a;
      if (wo.K !== v.N) throw new RangeError(`${fn}: output.weight takes ${wo.K} inputs, v gives ${v.N}`);
      return _linear(a, rows, v.N, wo.w, wo.N, o?.bias ?? null);
    },
  };
}

interface Projection {
  y: Float64Array;
  N: number;
}

function _nk(
  weight: Float32Array,
  shape: readonly [number, number],
  layout: WeightLayout,
  name: string,
  fn: string,
): { w: Float32Array; N: number; K: number } {
  const { rows, cols, data } = _checkMatrix(weight, shape, name, fn);
  return layout === "NK"
    ? { w: data, N: rows, K: cols }
    : { w: transpose2d(data, rows, cols), N: cols, K: rows };
}

/**
 * softmax(scale q k^T + mask) v per sequence and head; the heads concatenated [rows, v.N]. A key whose
 * mask entry is so far below the row's largest that exp(score - max) is below exp(-800) whatever q and k
 * (|scale q . k| <= |scale| |q| max|k|) is skipped: it is exactly 0 in float64 (finite masks like -1e4).
 */
function _attention(
  q: Projection,
  k: Projection,
  v: Projection,
  rows: number,
  T: number,
  heads: number,
  scale: number,
  mask: Float32Array | undefined,
): Float64Array {
  const dq = q.N / heads;
  const dv = v.N / heads;
  const out = new Float64Array(rows * v.N);
  const p = new Float64Array(T);
  // the keys a query attends to, ascending: scored four at a time (four independent sums, each over d in
  // order), then summed into the output eight columns at a time (each column's sum over keys in order)
  const keys = new Int32Array(T);
  const qy = q.y;
  const ky = k.y;
  const vy = v.y;
  const rowMax = new Float64Array(T);
  if (mask !== undefined)
    for (let i = 0; i < T; i++) rowMax[i] = Math.max(...mask.subarray(i * T, (i + 1) * T));
  for (let s0 = 0; s0 < rows; s0 += T) {
    for (let h = 0; h < heads; h++) {
      let kMax = 0;
      for (let j = 0; j < T; j++) kMax = Math.max(kMax, _norm(ky, (s0 + j) * k.N + h * dq, dq));
      for (let i = 0; i < T; i++) {
        const qi = (s0 + i) * q.N + h * dq;
        const skipBelow =
          mask === undefined
            ? Number.NEGATIVE_INFINITY
            : rowMax[i]! - 2 * Math.abs(scale) * _norm(qy, qi, dq) * kMax - 800;
        let n = 0;
        for (let j = 0; j < T; j++) {
          const m = mask === undefined ? 0 : mask[i * T + j]!;
          if (m === Number.NEGATIVE_INFINITY || m < skipBelow) {
            p[j] = Number.NEGATIVE_INFINITY;
            continue;
          }
          p[j] = m;
          keys[n++] = j;
        }
        let t = 0;
        for (; t + 4 <= n; t += 4) {
          const j0 = keys[t]!;
          const j1 = keys[t + 1]!;
          const j2 = keys[t + 2]!;
          const j3 = keys[t + 3]!;
          const k0 = (s0 + j0) * k.N + h * dq;
          const k1 = (s0 + j1) * k.N + h * dq;
          const k2 = (s0 + j2) * k.N + h * dq;
          const k3 = (s0 + j3) * k.N + h * dq;
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          for (let d = 0; d < dq; d++) {
            const u = qy[qi + d]!;
            a0 += u * ky[k0 + d]!;
            a1 += u * ky[k1 + d]!;
            a2 += u * ky[k2 + d]!;
            a3 += u * ky[k3 + d]!;
          }
          p[j0] = scale * a0 + p[j0]!;
          p[j1] = scale * a1 + p[j1]!;
          p[j2] = scale * a2 + p[j2]!;
          p[j3] = scale * a3 + p[j3]!;
        }
        for (; t < n; t++) {
          const j = keys[t]!;
          const kj = (s0 + j) * k.N + h * dq;
          let dot = 0;
          for (let d = 0; d < dq; d++) dot += qy[qi + d]! * ky[kj + d]!;
          p[j] = scale * dot + p[j]!;
        }
        let max = Number.NEGATIVE_INFINITY;
        for (let t = 0; t < n; t++) {
          const score = p[keys[t]!]!;
          if (score > max) max = score;
        }
        let sum = 0;
        for (let j = 0; j < T; j++) {
          const e = p[j] === Number.NEGATIVE_INFINITY ? 0 : Math.exp(p[j]! - max);
          p[j] = e;
          sum += e;
        }
        n = 0;
        for (let j = 0; j < T; j++) {
          const pj = p[j]! / sum;
          if (pj === 0) continue;
          p[j] = pj;
          keys[n++] = j;
        }
        const oi = (s0 + i) * v.N + h * dv;
        let d = 0;
        for (; d + 8 <= dv; d += 8) {
          let c0 = 0;
          let c1 = 0;
          let c2 = 0;
          let c3 = 0;
          let c4 = 0;
          let c5 = 0;
          let c6 = 0;
          let c7 = 0;
          for (let t = 0; t < n; t++) {
            const j = keys[t]!;
            const pj = p[j]!;
            const vj = (s0 + j) * v.N + h * dv + d;
            c0 += pj * vy[vj]!;
            c1 += pj * vy[vj + 1]!;
            c2 += pj * vy[vj + 2]!;
            c3 += pj * vy[vj + 3]!;
            c4 += pj * vy[vj + 4]!;
            c5 += pj * vy[vj + 5]!;
            c6 += pj * vy[vj + 6]!;
            c7 += pj * vy[vj + 7]!;
          }
          out[oi + d] = c0;
          out[oi + d + 1] = c1;
          out[oi + d + 2] = c2;
          out[oi + d + 3] = c3;
          out[oi + d + 4] = c4;
          out[oi + d + 5] = c5;
          out[oi + d + 6] = c6;
          out[oi + d + 7] = c7;
        }
        for (; d < dv; d++) {
          let c = 0;
          for (let t = 0; t < n; t++) {
            const j = keys[t]!;
            c += p[j]! * vy[(s0 + j) * v.N + h * dv + d]!;
          }
          out[oi + d] = c;
        }
      }
    }
  }
  return out;
}

function _norm(y: Float64Array, offset: number, n: number): number {
  let s = 0;
  for (let d = 0; d < n; d++) s += y[offset + d]! ** 2;
  return Math.sqrt(s);
}
