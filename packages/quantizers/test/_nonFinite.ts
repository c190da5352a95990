import { Rng } from "@quantkit/tensor";

/**
 * 40,000 seeded values with one NaN or ±Infinity at the start, the middle or the end (and a second bad
 * value after it, which must not be the one reported), with the error message quantkit gives for it.
 */
export function nonFiniteInputs(): { y: Float32Array; message: string }[] {
  const x = new Rng(1).fillUniform(new Float32Array(40_000), -1, 1);
  return (
    [
      [0, Number.NaN],
      [17_000, Number.POSITIVE_INFINITY],
      [39_999, Number.NEGATIVE_INFINITY],
    ] as const
  ).map(([index, bad]) => {
    const y = x.slice();
    y[index] = bad;
    if (index < 39_999) y[index + 1] = Number.NaN;
    return { y, message: `x[${index}] is ${bad}; only finite values can be quantized` };
  });
}
