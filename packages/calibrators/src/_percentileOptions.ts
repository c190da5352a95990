/** Options shared by the percentile observers. */
export interface _PercentileSettings {
  upper: number;
  lower: number;
  exactLimit: number;
}

/** Checks percentile options: upper in (0, 100], lower in [0, upper), exactLimit a non-negative integer. */
export function _percentileSettings(
  name: string,
  options: { percentile?: number; lowerPercentile?: number; exactLimit?: number },
  defaultExactLimit: number,
): _PercentileSettings {
  const upper = options.percentile ?? 99.99;
  if (typeof upper !== "number" || !(upper > 0 && upper <= 100)) {
    throw new RangeError(`${name}: percentile must be a number in (0, 100], got ${String(upper)}`);
  }
  const lower = options.lowerPercentile ?? 100 - upper;
  if (typeof lower !== "number" || !(lower >= 0 && lower <= upper)) {
    throw new RangeError(
      `${name}: lowerPercentile must be a number in [0, percentile = ${upper}], got ${String(lower)}`,
    );
  }
  const exactLimit = options.exactLimit ?? defaultExactLimit;
  if (!Number.isInteger(exactLimit) || exactLimit < 0) {
    throw new RangeError(`${name}: exactLimit must be a non-negative integer, got ${String(exactLimit)}`);
  }
  return { upper, lower, exactLimit };
}
