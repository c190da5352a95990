/**
 * Hash routing: "#floats" opens the section with id "floats"; anything else opens the first one.
 *
 * @example
 * sectionIdFromHash("#floats", ["why", "floats"]) // "floats"
 * sectionIdFromHash("", ["why", "floats"])        // "why"
 * sectionIdFromHash("#/Floats/", ["why", "floats"]) // "floats"
 */
export function sectionIdFromHash(hash: string, ids: readonly string[]): string {
  if (ids.length === 0) throw new RangeError("ids is empty: the page has no sections");
  const id = decodeURIComponent(hash.replace(/^#\/?/, "").replace(/\/$/, "")).toLowerCase();
  return ids.includes(id) ? id : ids[0]!;
}

/**
 * The sections before and after one, for the previous / next links.
 *
 * @example
 * neighbours("b", ["a", "b", "c"]) // { prev: "a", next: "c" }
 * neighbours("a", ["a", "b", "c"]) // { prev: undefined, next: "b" }
 */
export function neighbours(
  id: string,
  ids: readonly string[],
): { prev: string | undefined; next: string | undefined } {
  const i = ids.indexOf(id);
  if (i < 0) throw new RangeError(`id ${JSON.stringify(id)} is not one of ${ids.join(", ")}`);
  return { prev: ids[i - 1], next: ids[i + 1] };
}
