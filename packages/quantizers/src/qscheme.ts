/** PyTorch's qscheme names. */
export type QScheme =
  | "per_tensor_affine"
  | "per_tensor_symmetric"
  | "per_channel_affine"
  | "per_channel_symmetric";

export const QSCHEMES: readonly QScheme[] = [
  "per_tensor_affine",
  "per_tensor_symmetric",
  "per_channel_affine",
  "per_channel_symmetric",
];

/**
 * Checks a qscheme name.
 *
 * @example
 * assertQScheme("per_channel_symmetric") // ok
 */
export function assertQScheme(qscheme: unknown, name = "qscheme"): asserts qscheme is QScheme {
  if (typeof qscheme !== "string" || !QSCHEMES.includes(qscheme as QScheme)) {
    throw new TypeError(`${name} must be one of ${QSCHEMES.join(", ")}; got ${JSON.stringify(qscheme)}`);
  }
}

/** True for the two symmetric schemes. @example isSymmetric("per_tensor_symmetric") // true */
export function isSymmetric(qscheme: QScheme): boolean {
  return qscheme === "per_tensor_symmetric" || qscheme === "per_channel_symmetric";
}

/** True for the two per-channel schemes. @example isPerChannel("per_channel_affine") // true */
export function isPerChannel(qscheme: QScheme): boolean {
  return qscheme === "per_channel_affine" || qscheme === "per_channel_symmetric";
}
