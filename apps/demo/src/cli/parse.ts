import { InvalidArgumentError } from "commander";

/** A commander parser for an integer option in [min, max]. */
export function intOption(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[-+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? "" : max}, got "${value}"`,
      );
    }
    return n;
  };
}

/** A commander parser for a positive finite number. */
export function positiveOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

/** A commander parser for a finite number. */
export function numberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** A commander parser for a comma-separated list of allowed names (duplicates removed, order kept). */
export function listOption<T extends string>(
  allowed: readonly T[],
  allowEmpty = false,
): (value: string) => T[] {
  return (value) => {
    const items = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (items.length === 0 && !allowEmpty)
      throw new InvalidArgumentError(`expected a comma-separated list of ${allowed.join(", ")}`);
    for (const item of items) {
      if (!allowed.includes(item as T))
        throw new InvalidArgumentError(`"${item}" is not one of ${allowed.join(", ")}`);
    }
    return [...new Set(items)] as T[];
  };
}

/** A commander parser for one name out of a list. */
export function choiceOption<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!allowed.includes(value as T))
      throw new InvalidArgumentError(`"${value}" is not one of ${allowed.join(", ")}`);
    return value as T;
  };
}
