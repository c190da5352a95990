/** Bytes as lowercase hex pairs separated by spaces: "00 3c ff 7b". */
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

/** Any array-like as a plain array, for toEqual. */
export const list = (a: ArrayLike<unknown>): unknown[] => Array.from(a);
