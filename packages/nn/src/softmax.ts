import type { Shape } from "@quantkit/tensor";

/**
 * Softmax over the last axis, stably (the row maximum subtracted before exp): class probabilities from
 * logits.
 *
 * @example
 * softmax(new Float32Array([0, Math.log(3)]), [1, 2]) // Float32Array [0.25, 0.75]
 */
export function softmax(logits: Float32Array, shape: Shape): Float32Array {
  const c = shape[shape.length - 1];
  if (c === undefined || c === 0 || logits.length % c !== 0) {
    throw new RangeError(`softmax: shape [${shape.join(", ")}] does not fit ${logits.length} logits`);
  }
  const out = new Float32Array(logits.length);
  for (let row = 0; row < logits.length; row += c) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < c; j++) max = Math.max(max, logits[row + j]!);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(logits[row + j]! - max);
    for (let j = 0; j < c; j++) out[row + j] = Math.exp(logits[row + j]! - max) / sum;
  }
  return out;
}
