/** A size given for both spatial axes at once, or as [height, width] (PyTorch's `_pair`). */
export type Size2d = number | readonly [number, number];

/**
 * Resolves a {@link Size2d} to [height, width] (PyTorch's `_pair`), checking that each entry is an
 * integer >= `min` (1 for kernel sizes, strides and dilations; 0 for padding): TypeError for a
 * non-number, RangeError naming the argument (and the entry of a pair) otherwise.
 *
 * @example
 * pair2d(3, "kernelSize")         // [3, 3]
 * pair2d([1, 2], "padding", 0)    // [1, 2]
 * pair2d(0, "stride")             // RangeError: stride must be a positive integer, got 0
 */
export function pair2d(value: Size2d, name: string, min: 0 | 1 = 1): [number, number] {
  if (typeof value === "number") {
    check(value, name, min);
    return [value, value];
  }
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(`${name} must be a number or a [height, width] pair, got ${JSON.stringify(value)}`);
  }
  check(value[0], `${name}[0]`, min);
  check(value[1], `${name}[1]`, min);
  return [value[0], value[1]];
}

function check(value: unknown, name: string, min: 0 | 1): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(
      `${name} must be a ${min === 1 ? "positive" : "non-negative"} integer, got ${value}`,
    );
  }
}
