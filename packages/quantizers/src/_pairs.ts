/** Checks two arrays for an error metric: same length, not empty; returns the length. */
export function _checkPair(reference: ArrayLike<number>, approx: ArrayLike<number>, fn: string): number {
  if (reference === null || typeof reference !== "object" || typeof reference.length !== "number") {
    throw new TypeError(`${fn}: reference must be an array of numbers, got ${String(reference)}`);
  }
  if (approx === null || typeof approx !== "object" || typeof approx.length !== "number") {
    throw new TypeError(`${fn}: approx must be an array of numbers, got ${String(approx)}`);
  }
  if (reference.length !== approx.length) {
    throw new RangeError(`${fn}: reference has ${reference.length} elements but approx has ${approx.length}`);
  }
  if (reference.length === 0) throw new RangeError(`${fn}: the arrays are empty`);
  return reference.length;
}

/** Finds the first non-finite value of either array and returns the error naming it. */
export function _metricNonFinite(
  reference: ArrayLike<number>,
  approx: ArrayLike<number>,
  fn: string,
): RangeError {
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    if (r - r !== 0)
      return new RangeError(`${fn}: reference[${i}] is ${r}; error metrics need finite values`);
    const a = approx[i]!;
    if (a - a !== 0) return new RangeError(`${fn}: approx[${i}] is ${a}; error metrics need finite values`);
  }
  return new RangeError(`${fn}: the result overflowed to a non-finite value`);
}
