/**
 * What `JSON.parse` hides about a JSON object's text: its top-level keys in order, duplicates included
 * (JSON.parse keeps the last silently), and the deepest nesting of objects and arrays (measured without
 * recursion, so a header of 100,000 brackets is an error message, not a stack overflow). Valid for any
 * text; on text that is not JSON the result is meaningless and JSON.parse will reject it anyway.
 */
export function _jsonShape(text: string): { keys: string[]; depth: number } {
  const keys: string[] = [];
  let depth = 0;
  let maxDepth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      // a string: find its end, skipping escapes
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 0x5c) j += 2;
        else if (c === 0x22) break;
        else j++;
      }
      if (depth === 1) {
        let k = j + 1;
        while (k < n && (text[k] === " " || text[k] === "\t" || text[k] === "\n" || text[k] === "\r")) k++;
        if (text[k] === ":") {
          try {
            keys.push(JSON.parse(text.slice(i, j + 1)) as string);
          } catch {
            keys.push(text.slice(i + 1, j));
          }
        }
      }
      i = j + 1;
      continue;
    }
    if (ch === 0x7b || ch === 0x5b) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
    i++;
  }
  return { keys, depth: maxDepth };
}

/** The first key that occurs twice, or undefined. */
export function _firstDuplicate(keys: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) return k;
    seen.add(k);
  }
  return undefined;
}
