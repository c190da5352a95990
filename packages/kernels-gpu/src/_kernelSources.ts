/**
 * The gpu.js kernels, as source text built per shape.
 *
 * Every kernel here computes with float32 only (the one number type that gpu.js offers on every
 * backend), and every intermediate is an integer of magnitude <= 2^24, so each add, subtract and
 * multiply is exact and the result does not depend on the backend. Divisions are by powers of two
 * (exact multiplications) followed by `Math.floor`; the few divisions by other integers (index
 * arithmetic) are corrected to the exact quotient afterwards.
 *
 * Shader compilers reassociate float additions (GLSL floats are not `precise`): seen on Mesa
 * llvmpipe, `(x - 2^20 * floor(x / 2^20)) + (y - 2^20 * floor(y / 2^20))` with x near 2^41 was
 * evaluated as `(x + y) - 2^20 * (...)`, off by 1,024. So no value here ever exceeds 2^24 where it
 * meets an addition, sums of several terms are bounded term by term (any grouping stays exact),
 * and the one unavoidable large value, a block sum s, is reduced as `max(s - 4096 * q, 0)`: the
 * max (never binding) keeps the compiler from regrouping s with the running sums.
 *
 * Source text rather than functions: a bundler or minifier rewrites a function's body (renames,
 * folds, injects helpers) before gpu.js reads it, but it leaves a string alone.
 */

import { _RQ_STRIDE } from "./_requantParams";

/** 2^-12, 2^-11, 2^-9, 2^-20, 2^-22 as exact decimal literals. */
const INV_4096 = "0.000244140625";
const INV_2048 = "0.00048828125";
const INV_512 = "0.001953125";
const INV_2P20 = "0.00000095367431640625";
const INV_2P22 = "0.0000002384185791015625";

/**
 * Integer division of a non-negative integer `num` (< 2^23) by the positive integer `den`:
 * declares `q` = floor(num / den) and `r` = num - q * den. The float quotient is off by at most one
 * for such `num` (relative error < 2^-23); the two corrections make it exact.
 */
export function _divmod(q: string, r: string, num: string, den: number): string {
  if (den === 1) return `const ${q} = ${num};\n  const ${r} = 0.0;`;
  return `let ${q} = Math.floor(${num} * ${1 / den});
  let ${r} = ${num} - ${q} * ${den};
  if (${r} < 0) {
    ${q} = ${q} - 1;
    ${r} = ${r} + ${den};
  }
  if (${r} >= ${den}) {
    ${q} = ${q} + 1;
    ${r} = ${r} - ${den};
  }`;
}

/**
 * Sums the `nb` block partials of one output element into `hi * 4096 + lo` with lo in [0, 4096):
 * each partial is exact (|s| <= 2^24), |hi| <= nb * 2^12 and lo <= nb * 2^12 stay below 2^22 for
 * nb <= 1024 (`_MAX_K`).
 * `p` is 3-D [nb][rows][cols] read at (i, j) when nb > 1, else the flat exact sums read at `o`.
 */
function combineBlocks(nb: number, i: string, j: string, o: string): string {
  if (nb === 1) {
    return `const s0 = p[${o}];
  let hi = Math.floor(s0 * ${INV_4096});
  let lo = Math.max(s0 - hi * 4096, 0.0);`;
  }
  return `let hi = 0.0;
  let lo = 0.0;
  for (let blk = 0; blk < ${nb}; blk++) {
    const s = p[blk][${i}][${j}];
    const q = Math.floor(s * ${INV_4096});
    hi = hi + q;
    lo = lo + Math.max(s - q * 4096, 0.0);
  }
  const cy0 = Math.floor(lo * ${INV_4096});
  hi = hi + cy0;
  lo = lo - cy0 * 4096;`;
}

/**
 * gemmlowp / TFLite requantization of the int32 accumulator `hi * 4096 + lo` (lo in [0, 4096),
 * |hi| < 2^23) for channel `c`, in float32-exact steps; declares `v`, the clamped output code.
 * Matches, bit for bit:
 *
 *   x = int32(acc + bias)                        (wraps like int32 addition)
 *   x = int32(x * 2^leftShift)                   (wraps)
 *   y = SaturatingRoundingDoublingHighMul(x, multiplier)
 *   y = RoundingDivideByPOT(y, rightShift)
 *   v = clamp(y + outputZeroPoint, outputMin, outputMax)
 *
 * The shift left doubles x one bit at a time, wrapping as it goes (values stay below 2^21; a big
 * 2^leftShift factor is what llvmpipe miscompiled), then the rest works
 * in sign-magnitude form: |x| * |M| in 11-bit limbs (limb products < 2^22, column sums < 2^23),
 * then y = sign * floor((floor((|x||M| + 2^30 - [product < 0]) / 2^31) + 2^(e-1)) / 2^e), which is
 * the same rounding as gemmlowp's (half away from zero, and its nudge of 1 - 2^30 for negatives).
 * The only product reaching 2^62 is INT32_MIN * INT32_MIN, gemmlowp's saturating case. Magnitudes
 * >= 2^23 clamp anyway, so the last step caps there and stays exact.
 */
function requantCore(c: string): string {
  return `const rb = ${c} * ${_RQ_STRIDE};
  let h = hi + rq[rb];
  let l = lo + rq[rb + 1];
  const cy1 = Math.floor(l * ${INV_4096});
  h = h + cy1;
  l = l - cy1 * 4096;
  h = h - 1048576 * Math.floor((h + 524288) * ${INV_2P20});
  const leftShift = rq[rb + 2];
  for (let sh = 0; sh < 31; sh++) {
    if (sh >= leftShift) {
      break;
    }
    const l2 = l * 2;
    const cl = Math.floor(l2 * ${INV_4096});
    l = l2 - cl * 4096;
    const h2 = h * 2 + cl;
    h = h2 - 1048576 * Math.floor((h2 + 524288) * ${INV_2P20});
  }
  let sx = 1.0;
  if (h < 0) {
    sx = -1.0;
    h = -h;
    l = -l;
    if (l < 0) {
      l = l + 4096;
      h = h - 1;
    }
  }
  const lq = Math.floor(l * ${INV_2048});
  const a0 = l - lq * 2048;
  const t1 = h * 2 + lq;
  const a2 = Math.floor(t1 * ${INV_2048});
  const a1 = t1 - a2 * 2048;
  const m0 = rq[rb + 3];
  const m1 = rq[rb + 4];
  const m2 = rq[rb + 5];
  const ps = sx * rq[rb + 6];
  let c0 = a0 * m0;
  if (ps < 0) {
    c0 = c0 - 1;
  }
  const k0 = Math.floor(c0 * ${INV_2048});
  const c1 = a0 * m1 + a1 * m0 + k0;
  const k1 = Math.floor(c1 * ${INV_2048});
  const c2 = a0 * m2 + a1 * m1 + a2 * m0 + 256 + k1;
  const k2 = Math.floor(c2 * ${INV_2048});
  const r2 = c2 - k2 * 2048;
  const c3 = a1 * m2 + a2 * m1 + k2;
  const k3 = Math.floor(c3 * ${INV_2048});
  const r3 = c3 - k3 * 2048;
  const c4 = a2 * m2 + k3;
  const r5 = Math.floor(c4 * ${INV_2048});
  const r4 = c4 - r5 * 2048;
  const r4h = Math.floor(r4 * ${INV_512});
  let lw = Math.floor(r2 * ${INV_512}) + r3 * 4 + (r4 - r4h * 512) * 8192;
  let hw = r4h + r5 * 4;
  if (hw > 511.5) {
    hw = 511;
    lw = 4194303;
  }
  lw = lw + rq[rb + 8];
  const cl2 = Math.floor(lw * ${INV_2P22});
  lw = lw - cl2 * 4194304;
  hw = hw + rq[rb + 7] + cl2;
  const mag = Math.min(Math.floor(hw * rq[rb + 9]), 8388608) + Math.floor(lw * rq[rb + 10]);
  const v = Math.min(Math.max(ps * mag + zp, qmin), qmax);`;
}

/** Options of {@link _gemmPartialSource}. */
export interface _GemmPartialShape {
  m: number;
  k: number;
  n: number;
  /** Products summed per block (<= 2^24 / max |product|). */
  block: number;
  nb: number;
  transB: boolean;
  /** 'scalar': zb is a number; 'column': zb[j]; 'none': B has no zero point. */
  bZero: "scalar" | "column" | "none";
}

/**
 * Block partial sums of the integer GEMM, element = sum over the block's k of
 * (a[i, k] - za) * (b[k, j] - zb[j]), exact because the block is short enough (`_blockPlan`).
 * Output [n, m, nb] (x = j, y = i, z = block) when nb > 1, else flat [m * n] (the exact sums).
 * Arguments: a flat [m * k], b flat [k * n] or (transB) [n * k], za, zb.
 */
export function _gemmPartialSource(s: _GemmPartialShape): string {
  const bIndex = s.transB ? `j * ${s.k} + kk` : `kk * ${s.n} + j`;
  const zbDecl = s.bZero === "column" ? "const zbj = zb[j];" : s.bZero === "scalar" ? "const zbj = zb;" : "";
  const bTerm = s.bZero === "none" ? `b[${bIndex}]` : `(b[${bIndex}] - zbj)`;
  const head =
    s.nb > 1
      ? `const j = this.thread.x;
  const i = this.thread.y;
  const start = this.thread.z * ${s.block};`
      : `const o = this.thread.x;
  ${_divmod("i", "j", "o", s.n)}
  const start = 0.0;`;
  const last = s.k - (s.nb - 1) * s.block;
  const step = `const kk = start + t;
    acc = acc + (a[aRow + kk] - za) * ${bTerm};`;
  // Blocks are equal but the last, which may be shorter: one comparison per step for that.
  const loop =
    last === s.block
      ? `for (let t = 0; t < ${s.block}; t++) {
    ${step}
  }`
      : `let len = ${s.block}.0;
  if (start > ${s.k - s.block}) {
    len = ${last}.0;
  }
  for (let t = 0; t < ${s.block}; t++) {
    if (t >= len) {
      break;
    }
    ${step}
  }`;
  return `function (a, b, za, zb) {
  ${head}
  const aRow = i * ${s.k};
  ${zbDecl}
  let acc = 0.0;
  ${loop}
  return acc;
}`;
}

/**
 * Combines GEMM block partials into the int32 results' two limbs: flat output [2 * m * n], element
 * 2e holds hi and 2e + 1 holds lo of result e = i * n + j = hi * 4096 + lo, lo in [0, 4096).
 */
export function _combineSource(nb: number, n: number): string {
  return `function (p) {
  const x = this.thread.x;
  const e = Math.floor(x * 0.5);
  const odd = x - e * 2;
  ${_divmod("i", "j", "e", n)}
  ${combineBlocks(nb, "i", "j", "e")}
  if (odd > 0.5) {
    return lo;
  }
  return hi;
}`;
}

/**
 * Requantizes block partials plus the int32 bias into output codes, flat output [rows * cols]
 * (element o = i * cols + j, as the partials), channel = j (`channelOf: 'col'`, a Linear layer's
 * output feature) or i mod `channels` (`channelOf: 'row'`, conv rows batch * outChannels).
 * Arguments: p (partials), rq (flat params, `_requantParams`), zp, qmin, qmax.
 */
export function _requantPartialSource(
  nb: number,
  cols: number,
  channelOf: "col" | "row",
  channels: number,
): string {
  const chan = channelOf === "col" ? "const c = j;" : _divmod("cq", "c", "i", channels);
  return `function (p, rq, zp, qmin, qmax) {
  const o = this.thread.x;
  ${_divmod("i", "j", "o", cols)}
  ${chan}
  ${combineBlocks(nb, "i", "j", "o")}
  ${requantCore("c")}
  return v;
}`;
}

/**
 * Requantizes int32 accumulators given as limbs (acc[o] = limbs[2o] * 4096 + limbs[2o + 1]),
 * channel = o mod `channels`: flat output [rows * channels]. Arguments: limbs, rq, zp, qmin, qmax.
 */
export function _requantLimbsSource(channels: number): string {
  return `function (limbs, rq, zp, qmin, qmax) {
  const o = this.thread.x;
  ${_divmod("row", "c", "o", channels)}
  const hi = limbs[o * 2];
  const lo = limbs[o * 2 + 1];
  ${requantCore("c")}
  return v;
}`;
}

/** Options of {@link _convPartialSource}. */
export interface _ConvPartialShape {
  batch: number;
  inChannels: number;
  outChannels: number;
  height: number;
  width: number;
  outH: number;
  outW: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  groups: number;
  /** Kernel rows (kernelW products each) per block. */
  rowsPerBlock: number;
  nb: number;
}

/**
 * Block partial sums of a convolution with the im2col done implicitly: element = sum over the
 * block's (input channel, kernel row) rows and the kernel columns of (x - zx) * w; padding holds zx
 * and contributes nothing. Rows of the result are y = n * outChannels + oc, columns the output
 * pixels oh * outW + ow (so the flat result is NCHW). Output [outH * outW, batch * outChannels, nb]
 * when nb > 1, else flat. Arguments: x flat NCHW, w flat OIHW, zx.
 */
export function _convPartialSource(s: _ConvPartialShape): string {
  const cg = s.inChannels / s.groups;
  const ocPerGroup = s.outChannels / s.groups;
  const rows = cg * s.kernelH;
  const pixels = s.outH * s.outW;
  const head =
    s.nb > 1
      ? `const pix = this.thread.x;
  const y = this.thread.y;
  const row0 = this.thread.z * ${s.rowsPerBlock};`
      : `const o = this.thread.x;
  ${_divmod("y", "pix", "o", pixels)}
  const row0 = 0.0;`;
  return `function (x, w, zx) {
  ${head}
  ${_divmod("oh", "ow", "pix", s.outW)}
  ${_divmod("n", "oc", "y", s.outChannels)}
  ${_divmod("g", "og", "oc", ocPerGroup)}
  ${_divmod("ic0", "kh0", "row0", s.kernelH)}
  let ic = ic0;
  let kh = kh0;
  const xBase = (n * ${s.inChannels} + g * ${cg}) * ${s.height * s.width};
  const wBase = oc * ${cg * s.kernelH * s.kernelW};
  const ih0 = oh * ${s.strideH} - ${s.padH};
  const iw0 = ow * ${s.strideW} - ${s.padW};
  let acc = 0.0;
  for (let t = 0; t < ${s.rowsPerBlock}; t++) {
    if (row0 + t >= ${rows}) {
      break;
    }
    const ih = ih0 + kh * ${s.dilationH};
    if (ih >= 0 && ih < ${s.height}) {
      const xRow = xBase + ic * ${s.height * s.width} + ih * ${s.width};
      const wRow = wBase + (ic * ${s.kernelH} + kh) * ${s.kernelW};
      for (let kw = 0; kw < ${s.kernelW}; kw++) {
        const iw = iw0 + kw * ${s.dilationW};
        if (iw >= 0 && iw < ${s.width}) {
          acc = acc + (x[xRow + iw] - zx) * w[wRow + kw];
        }
      }
    }
    kh = kh + 1;
    if (kh >= ${s.kernelH}) {
      kh = 0.0;
      ic = ic + 1;
    }
  }
  return acc;
}`;
}

/** fp32 GEMM, flat output [m * n]; arguments a flat [m * k], b flat, bias (length n, zeros when absent). */
export function _matmulF32Source(k: number, n: number, transB: boolean): string {
  const bIndex = transB ? `j * ${k} + kk` : `kk * ${n} + j`;
  return `function (a, b, bias) {
  const o = this.thread.x;
  ${_divmod("i", "j", "o", n)}
  const aRow = i * ${k};
  let acc = 0.0;
  for (let kk = 0; kk < ${k}; kk++) {
    acc = acc + a[aRow + kk] * b[${bIndex}];
  }
  return acc + bias[j];
}`;
}

/** Copies a flat array to the device: the upload kernel. */
export const _UPLOAD_SOURCE = `function (v) {
  return v[this.thread.x];
}`;
