import type { Kernels } from "@quantkit/kernels";
import { Flatten, Identity, Linear, type Module, ReLU, sequentialLeaves } from "@quantkit/nn";

const leaves = (m: Module): Module[] => sequentialLeaves(m).map(([, leaf]) => leaf);

/**
 * Whether {@link floatForwardOnKernels} can run a model: a Sequential of Linear, ReLU, Flatten and
 * Identity only (an MLP).
 *
 * @example
 * canRunFloatOnKernels(createMlp([784, 100, 10])) // true
 */
export function canRunFloatOnKernels(model: Module): boolean {
  return leaves(model).every(
    (m) => m instanceof Linear || m instanceof ReLU || m instanceof Flatten || m instanceof Identity,
  );
}

/**
 * The fp32 forward pass of an MLP on a `Kernels` object's `matmulF32` (the fp32 baseline of the
 * integer kernels: the same backend, packing and blocking), so fp32 and int8 inference can be timed
 * on the same backend. x is [batch, inFeatures]; returns [batch, outFeatures] logits, equal to the
 * model's own forward pass up to float32 summation order.
 *
 * @example
 * const logits = floatForwardOnKernels(model, x, 100, createCpuKernels());
 */
export function floatForwardOnKernels(
  model: Module,
  x: Float32Array,
  batch: number,
  kernels: Kernels,
): Float32Array {
  if (!canRunFloatOnKernels(model)) {
    throw new TypeError(
      "floatForwardOnKernels: the model must be a Sequential of Linear, ReLU, Flatten and Identity",
    );
  }
  let v = x;
  for (const m of leaves(model)) {
    if (m instanceof Linear) {
      v = kernels.matmulF32(v, m.weight.data, {
        m: batch,
        k: m.inFeatures,
        n: m.outFeatures,
        transB: true,
        ...(m.bias === null ? {} : { bias: m.bias.data }),
      });
    } else if (m instanceof ReLU) {
      const out = v === x ? new Float32Array(v.length) : v;
      for (let i = 0; i < v.length; i++) out[i] = Math.max(v[i]!, 0);
      v = out;
    }
  }
  return v;
}
