/** The window of a 2-D max pooling, per axis [height, width] (MaxPool2d's fields). */
export interface MaxPool2dWindow {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

/**
 * Where each window's maximum is: for NCHW input `x` of `shape` and an [outH, outW] output, the flat
 * index into `x` of the largest value of every window (the first in row-major order on ties; NaN
 * wins, as in PyTorch's CPU kernel; padding never wins; -1 for a window that lies wholly in padding).
 * MaxPool2d's forward (values and gradient routing) and ptq's integer max pooling on uint8 codes are
 * both this walk; it works on any array of numbers. Valid input: checked shapes (the callers check).
 *
 * @example
 * const w = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] } as const;
 * maxPool2dIndices(new Uint8Array([1, 2, 5, 3, 4, 0, 7, 8, 9, 1, 2, 3, 6, 5, 4, 8]), [1, 1, 4, 4], w, [2, 2])
 * // Int32Array [4, 7, 8, 15]
 */
export function maxPool2dIndices(
  x: ArrayLike<number>,
  shape: readonly [number, number, number, number],
  window: MaxPool2dWindow,
  outSize: readonly [number, number],
): Int32Array {
  const [n, c, h, w] = shape;
  const [outH, outW] = outSize;
  const [kh, kw] = window.kernelSize;
  const [sh, sw] = window.stride;
  const [ph, pw] = window.padding;
  const [dh, dw] = window.dilation;
  const at = new Int32Array(n * c * outH * outW);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        let best = Number.NEGATIVE_INFINITY;
        let where = -1;
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - pw + j * dw;
            if (iw < 0 || iw >= w) continue;
            const v = x[base + ih * w + iw]!;
            if (v > best || (Number.isNaN(v) && !Number.isNaN(best)) || where < 0) {
              best = v;
              where = base + ih * w + iw;
            }
          }
        }
        at[o] = where;
      }
    }
  }
  return at;
}
