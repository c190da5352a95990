import { convOutputSize, type Shape, type Tensor, transpose2d } from "@quantkit/tensor";
import { _matmulF32 } from "./_gemm";

/**
 * A 2-D convolution's geometry (NCHW input, OIHW weight `[outChannels, inChannels / groups,
 * kernelH, kernelW]`). Padding may differ per side (PyTorch's `padding="same"` with an even kernel
 * pads one more at the bottom and right).
 */
export interface Conv2dGeometry {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly groups: number;
}

/**
 * Output height and width: floor((in + padding - dilation * (kernel - 1) - 1) / stride) + 1.
 *
 * @example
 * conv2dOutputSize(new Conv2d(1, 8, 3, { padding: 1 }).geometry, 28, 28) // { outH: 28, outW: 28 }
 */
export function conv2dOutputSize(
  g: Conv2dGeometry,
  height: number,
  width: number,
): { outH: number; outW: number } {
  const outH = convOutputSize(height, g.kernelH, {
    stride: g.strideH,
    padding: [g.padTop, g.padBottom],
    dilation: g.dilationH,
  });
  const outW = convOutputSize(width, g.kernelW, {
    stride: g.strideW,
    padding: [g.padLeft, g.padRight],
    dilation: g.dilationW,
  });
  if (outH <= 0 || outW <= 0) {
    throw new RangeError(
      `conv2d: input ${height}x${width} is smaller than the (dilated) kernel ${g.kernelH}x${g.kernelW} with this padding; output would be ${outH}x${outW}`,
    );
  }
  return { outH, outW };
}

function checkInput(x: Float32Array, shape: Shape, g: Conv2dGeometry): [number, number, number] {
  if (shape.length !== 4 || shape[1] !== g.inChannels) {
    throw new RangeError(`conv2d: input must be NCHW [N, ${g.inChannels}, H, W], got [${shape.join(", ")}]`);
  }
  const [n, c, h, w] = shape as [number, number, number, number];
  if (x.length !== n * c * h * w)
    throw new RangeError(`conv2d: x has ${x.length} elements, shape needs ${n * c * h * w}`);
  return [n, h, w];
}

/**
 * The patches of image `img`, group `group`, as a [K, P] matrix (K = inChannels/groups * kernelH *
 * kernelW rows, P = outH * outW columns). `"gather"` (im2col) writes them into `cols`, zeros where the
 * kernel reaches into the padding; `"scatter"` (col2im, its adjoint) adds `cols` back into `x`, skipping
 * the padding. One walk of the geometry for both; the direction is chosen per output row, outside the
 * loop over its columns.
 */
function patches(
  direction: "gather" | "scatter",
  x: Float32Array,
  img: number,
  group: number,
  g: Conv2dGeometry,
  h: number,
  w: number,
  outH: number,
  outW: number,
  cols: Float32Array,
): void {
  const scatter = direction === "scatter";
  const cg = g.inChannels / g.groups;
  const p = outH * outW;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const plane = (img * g.inChannels + group * cg + c) * h * w;
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++, row++) {
        const colRow = row * p;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
          const o = colRow + oh * outW;
          if (ih < 0 || ih >= h) {
            if (!scatter) cols.fill(0, o, o + outW);
            continue;
          }
          const src = plane + ih * w;
          if (scatter) {
            for (let ow = 0; ow < outW; ow++) {
              const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
              if (iw >= 0 && iw < w) x[src + iw] = x[src + iw]! + cols[o + ow]!;
            }
          } else {
            for (let ow = 0; ow < outW; ow++) {
              const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
              cols[o + ow] = iw >= 0 && iw < w ? x[src + iw]! : 0;
            }
          }
        }
      }
    }
  }
}

/**
 * 2-D convolution (PyTorch's `F.conv2d`, cross-correlation): x `[N, C, H, W]`, weight
 * `[O, C/groups, kH, kW]`, bias `[O]` or null; returns `[N, O, outH, outW]`. Per image and group the
 * patches are unrolled (im2col) and multiplied by the weight matrix through the package's one GEMM.
 *
 * @example
 * // a 2x2 kernel of ones over a 3x3 image 1..9: each output is the sum of a 2x2 window
 * const geometry = { inChannels: 1, outChannels: 1, kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, padTop: 0,
 *   padBottom: 0, padLeft: 0, padRight: 0, dilationH: 1, dilationW: 1, groups: 1 };
 * const y = conv2dForward(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3], new Float32Array([1, 1, 1, 1]), null, geometry);
 * y.data // Float32Array [12, 16, 24, 28]
 */
export function conv2dForward(
  x: Float32Array,
  shape: Shape,
  weight: Float32Array,
  bias: Float32Array | null,
  g: Conv2dGeometry,
): Tensor {
  const [n, h, w] = checkInput(x, shape, g);
  const { outH, outW } = conv2dOutputSize(g, h, w);
  const cg = g.inChannels / g.groups;
  const og = g.outChannels / g.groups;
  const k = cg * g.kernelH * g.kernelW;
  if (weight.length !== g.outChannels * k) {
    throw new RangeError(
      `conv2d: weight has ${weight.length} elements, expected [${g.outChannels}, ${cg}, ${g.kernelH}, ${g.kernelW}]`,
    );
  }
  const p = outH * outW;
  const out = new Float32Array(n * g.outChannels * p);
  const cols = new Float32Array(k * p);
  for (let img = 0; img < n; img++) {
    for (let grp = 0; grp < g.groups; grp++) {
      patches("gather", x, img, grp, g, h, w, outH, outW, cols);
      const wg = weight.subarray(grp * og * k, (grp + 1) * og * k);
      const yOff = (img * g.outChannels + grp * og) * p;
      _matmulF32(wg, cols, { m: og, k, n: p, out: out.subarray(yOff, yOff + og * p) });
    }
    if (bias !== null) {
      for (let o = 0; o < g.outChannels; o++) {
        const b = bias[o]!;
        const off = (img * g.outChannels + o) * p;
        for (let i = 0; i < p; i++) out[off + i] = out[off + i]! + b;
      }
    }
  }
  return { data: out, shape: [n, g.outChannels, outH, outW] };
}

/**
 * The backward of {@link conv2dForward}: adds dL/dW into `gradWeight` and dL/db into `gradBias` (when
 * given) and returns dL/dx (unless `needInput` is false).
 *
 * @example
 * const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * const gradWeight = new Float32Array(4);
 * // geometry as in conv2dForward's example; dL/dy all ones
 * const gx = conv2dBackward(new Float32Array(4).fill(1), x, [1, 1, 3, 3], new Float32Array(4).fill(1), gradWeight, null, geometry);
 * gradWeight // Float32Array [12, 16, 24, 28]: each weight's window sums
 * gx         // Float32Array [1, 2, 1, 2, 4, 2, 1, 2, 1]: how many windows cover each pixel
 */
export function conv2dBackward(
  gradOut: Float32Array,
  x: Float32Array,
  shape: Shape,
  weight: Float32Array,
  gradWeight: Float32Array | null,
  gradBias: Float32Array | null,
  g: Conv2dGeometry,
  needInput = true,
): Float32Array | undefined {
  const [n, h, w] = checkInput(x, shape, g);
  const { outH, outW } = conv2dOutputSize(g, h, w);
  const cg = g.inChannels / g.groups;
  const og = g.outChannels / g.groups;
  const k = cg * g.kernelH * g.kernelW;
  const p = outH * outW;
  if (gradOut.length !== n * g.outChannels * p) {
    throw new RangeError(
      `conv2d backward: gradOut has ${gradOut.length} elements, expected ${n * g.outChannels * p}`,
    );
  }
  const dx = needInput ? new Float32Array(x.length) : undefined;
  const cols = new Float32Array(k * p);
  const dW = new Float32Array(og * k);
  const dCols = new Float32Array(k * p);
  // W_g^T [k, og], computed once per group.
  const wT = Array.from({ length: g.groups }, (_, grp) =>
    transpose2d(weight.subarray(grp * og * k, (grp + 1) * og * k), og, k),
  );
  for (let img = 0; img < n; img++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const yOff = (img * g.outChannels + grp * og) * p;
      const dY = gradOut.subarray(yOff, yOff + og * p);
      if (gradWeight !== null) {
        patches("gather", x, img, grp, g, h, w, outH, outW, cols);
        // dW_g[og, k] += dY_g[og, p] x cols^T (cols is [k, p]: the transB layout)
        _matmulF32(dY, cols, { m: og, k: p, n: k, transB: true, out: dW });
        const off = grp * og * k;
        for (let i = 0; i < dW.length; i++) gradWeight[off + i] = gradWeight[off + i]! + dW[i]!;
      }
      if (dx !== undefined) {
        // dCols[k, p] = W_g^T[k, og] x dY_g[og, p]
        _matmulF32(wT[grp]!, dY, { m: k, k: og, n: p, out: dCols });
        patches("scatter", dx, img, grp, g, h, w, outH, outW, dCols);
      }
    }
    if (gradBias !== null) {
      for (let o = 0; o < g.outChannels; o++) {
        const off = (img * g.outChannels + o) * p;
        let s = 0;
        for (let i = 0; i < p; i++) s += gradOut[off + i]!;
        gradBias[o] = gradBias[o]! + s;
      }
    }
  }
  return dx;
}
