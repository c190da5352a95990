/** A short printable form of a bad value for error messages (strings quoted, long arrays cut). */
export function _show(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined || typeof value !== "object") return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Uint8Array).length})`;
  if (Array.isArray(value))
    return value.length > 8
      ? `[${value.slice(0, 8).map(_show).join(", ")}, ...]`
      : `[${value.map(_show).join(", ")}]`;
  return Object.prototype.toString.call(value);
}

/** Throws when `options` has a key outside `allowed`, naming the function and the key. */
export function _checkOptions(fn: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object")
    throw new TypeError(`${fn}: options must be an object, got ${_show(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${fn}: unknown option ${_show(key)} (allowed: ${allowed.join(", ") || "none"})`);
    }
  }
}
