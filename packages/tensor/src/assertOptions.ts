/**
 * Checks an options object: `undefined` passes, anything else must be a plain object whose own keys are
 * all in `known`. A misspelt key (`{ bitz: 4 }`) is an error naming it and the keys that exist, never a
 * silently ignored setting.
 *
 * @param options the caller's options (`undefined` means none)
 * @param known the keys the function reads
 * @param name how errors name the object, e.g. "MinMaxObserver options"
 *
 * @example
 * assertOptions({ bits: 4 }, ["bits", "eps"], "options")  // ok
 * assertOptions({ bitz: 4 }, ["bits", "eps"], "options")  // throws TypeError: options has an unknown key "bitz"; known keys: bits, eps
 */
export function assertOptions(options: unknown, known: readonly string[], name = "options"): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const what = options === null ? "null" : Array.isArray(options) ? "an array" : typeof options;
    throw new TypeError(`${name} must be an object, got ${what}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${name} has an unknown key ${JSON.stringify(key)}; known keys: ${known.length > 0 ? known.join(", ") : "(none)"}`,
      );
    }
  }
}
