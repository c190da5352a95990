import type { Shape, Tensor } from "@quantkit/tensor";
import { _gemmAccumulateTN, _matmulF32 } from "./_gemm";

/**
 * y = x W^T + b over the last axis (PyTorch's `F.linear`): x `[..., inFeatures]`, weight
 * `[outFeatures, inFeatures]`, bias `[outFeatures]` or null; y `[..., outFeatures]`. Exported for
 * layers that compute with a transformed weight (QAT's fake-quantized one).
 *
 * @example
 * const y = linearForward(new Float32Array([1, 2]), [1, 2], new Float32Array([1, 0, 0, 1, 1, 1]), new Float32Array([0, 0, 10]));
 * y.data  // Float32Array [1, 2, 13]
 * y.shape // [1, 3]
 */
export function linearForward(
  x: Float32Array,
  shape: Shape,
  weight: Float32Array,
  bias: Float32Array | null,
): Tensor {
  const inFeatures = shape[shape.length - 1];
  if (
    shape.length === 0 ||
    inFeatures === undefined ||
    inFeatures === 0 ||
    weight.length % inFeatures !== 0
  ) {
    throw new RangeError(
      `linear: input shape [${shape.join(", ")}] does not fit a weight of ${weight.length} elements (its last axis must be inFeatures)`,
    );
  }
  const outFeatures = weight.length / inFeatures;
  if (bias !== null && bias.length !== outFeatures) {
    throw new RangeError(`linear: bias has ${bias.length} elements, expected outFeatures = ${outFeatures}`);
  }
  const m = x.length / inFeatures;
  const data = _matmulF32(x, weight, {
    m,
    k: inFeatures,
    n: outFeatures,
    transB: true,
    ...(bias === null ? {} : { bias }),
  });
  return { data, shape: [...shape.slice(0, -1), outFeatures] };
}

/**
 * The backward of {@link linearForward}: adds dL/dW = gradOut^T x into `gradWeight` and
 * dL/db = the column sums of gradOut into `gradBias` (when given), and returns dL/dx = gradOut W
 * (unless `needInput` is false, e.g. for a first layer).
 *
 * @example
 * const w = new Float32Array([1, 0, 0, 1, 1, 1]); // [3, 2]
 * const gw = new Float32Array(6);
 * const gx = linearBackward(new Float32Array([1, 0, 0]), new Float32Array([1, 2]), [1, 2], w, gw, null);
 * gx // Float32Array [1, 0] (row 0 of w)
 * gw // Float32Array [1, 2, 0, 0, 0, 0]
 */
export function linearBackward(
  gradOut: Float32Array,
  x: Float32Array,
  shape: Shape,
  weight: Float32Array,
  gradWeight: Float32Array | null,
  gradBias: Float32Array | null,
  needInput = true,
): Float32Array | undefined {
  const inFeatures = shape[shape.length - 1]!;
  const outFeatures = weight.length / inFeatures;
  const m = x.length / inFeatures;
  if (gradWeight !== null) {
    // dW[out, in] += dY^T[out, m] x X[m, in], straight into the gradient.
    _gemmAccumulateTN(gradOut, x, m, outFeatures, inFeatures, gradWeight);
  }
  if (gradBias !== null) {
    for (let r = 0; r < m; r++) {
      const row = r * outFeatures;
      for (let j = 0; j < outFeatures; j++) gradBias[j] = gradBias[j]! + gradOut[row + j]!;
    }
  }
  return needInput ? _matmulF32(gradOut, weight, { m, k: outFeatures, n: inFeatures }) : undefined;
}
