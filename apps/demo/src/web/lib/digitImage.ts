/**
 * Section 10's preprocessing: a digit drawn on a canvas becomes an MNIST-like 28 x 28 image, as the
 * MNIST digits were made: the ink's bounding box scaled (area-averaged, aspect kept) so that its
 * longer side is 20 pixels, then placed in the 28 x 28 frame with its centre of mass at the centre.
 * Values in [0, 1], ink = 1 (the data set's convention, before normalisation).
 */

export const MNIST_SIDE = 28;
/** Where MNIST puts a digit's centre of mass, with pixel i's centre at i + 0.5. */
export const MNIST_CENTER = 14.5;
const BOX = 20;

/**
 * Area-averaging resample of a single-channel image (each output pixel is the mean of the source area
 * it covers, fractional overlaps weighted): the right filter for shrinking a drawing.
 *
 * @example
 * resampleArea(new Float32Array([1, 0, 0, 1]), 2, 2, 1, 1) // Float32Array [0.5]
 */
export function resampleArea(
  src: Float32Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
): Float32Array {
  if (src.length !== sw * sh)
    throw new RangeError(`src has ${src.length} values, ${sw} x ${sh} needs ${sw * sh}`);
  if (!(dw >= 1 && dh >= 1) || !Number.isInteger(dw) || !Number.isInteger(dh)) {
    throw new RangeError(`the output size must be positive integers, got ${dw} x ${dh}`);
  }
  const out = new Float32Array(dw * dh);
  const fx = sw / dw;
  const fy = sh / dh;
  for (let ty = 0; ty < dh; ty++) {
    const y0 = ty * fy;
    const y1 = y0 + fy;
    for (let tx = 0; tx < dw; tx++) {
      const x0 = tx * fx;
      const x1 = x0 + fx;
      let sum = 0;
      for (let sy = Math.floor(y0); sy < Math.min(sh, Math.ceil(y1)); sy++) {
        const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
        if (wy <= 0) continue;
        for (let sx = Math.floor(x0); sx < Math.min(sw, Math.ceil(x1)); sx++) {
          const wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
          if (wx > 0) sum += src[sy * sw + sx]! * wx * wy;
        }
      }
      out[ty * dw + tx] = sum / (fx * fy);
    }
  }
  return out;
}

/**
 * The MNIST-like 28 x 28 image of a drawing (`ink` in [0, 1], width x height, row-major); all zeros
 * when nothing is drawn (no value above `threshold`).
 *
 * @example
 * const img = toMnistImage(ink, 280, 280);
 * img.length // 784
 */
export function toMnistImage(
  ink: Float32Array,
  width: number,
  height: number,
  threshold = 0.05,
): Float32Array {
  if (ink.length !== width * height)
    throw new RangeError(`ink has ${ink.length} values, ${width} x ${height} needs ${width * height}`);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  if (x1 < 0) return out;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++)
    crop.set(ink.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + bw), y * bw);
  const scale = BOX / Math.max(bw, bh);
  const dw = Math.max(1, Math.round(bw * scale));
  const dh = Math.max(1, Math.round(bh * scale));
  const small = resampleArea(crop, bw, bh, dw, dh);
  // Centre of mass of the small image, then shift it to the frame's centre.
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      const v = small[y * dw + x]!;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  // MNIST's digits have their centre of mass at pixel index 14 (measured on the bundled test set:
  // 14.4-14.8 with pixel centres at i + 0.5), so aim there.
  const ox = Math.round(MNIST_CENTER - cx / mass);
  const oy = Math.round(MNIST_CENTER - cy / mass);
  for (let y = 0; y < dh; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= MNIST_SIDE) continue;
    for (let x = 0; x < dw; x++) {
      const tx = x + ox;
      if (tx < 0 || tx >= MNIST_SIDE) continue;
      out[ty * MNIST_SIDE + tx] = Math.min(1, small[y * dw + x]!);
    }
  }
  return out;
}

/**
 * The centre of mass (x, y) of a 28 x 28 image, in pixels from the top-left corner.
 *
 * @example
 * centerOfMass(toMnistImage(ink, 280, 280)) // about { x: 14.5, y: 14.5 }
 */
export function centerOfMass(img: Float32Array, side = MNIST_SIDE): { x: number; y: number } {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = img[y * side + x]!;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  return mass > 0 ? { x: cx / mass, y: cy / mass } : { x: Number.NaN, y: Number.NaN };
}
