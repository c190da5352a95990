/**
 * Checks a convolution's channel groups (PyTorch's `groups`): a positive integer that divides both
 * `inChannels` and `outChannels`. `prefix` goes before each argument's name in the error ("layer."
 * gives "layer.groups (3) must divide layer.inChannels (4) ..."). TypeError for a non-number,
 * RangeError naming the values otherwise.
 *
 * @example
 * assertConvGroups(4, 6, 2)           // fine: 2 divides 4 and 6
 * assertConvGroups(4, 6, 3)           // RangeError: groups (3) must divide inChannels (4) and outChannels (6)
 * assertConvGroups(4, 6, 3, "layer.") // RangeError: layer.groups (3) must divide layer.inChannels (4) and ...
 */
export function assertConvGroups(inChannels: number, outChannels: number, groups: number, prefix = ""): void {
  if (typeof groups !== "number")
    throw new TypeError(`${prefix}groups must be a number, got ${typeof groups}`);
  if (!Number.isSafeInteger(groups) || groups < 1)
    throw new RangeError(`${prefix}groups must be a positive integer, got ${groups}`);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new RangeError(
      `${prefix}groups (${groups}) must divide ${prefix}inChannels (${inChannels}) and ${prefix}outChannels (${outChannels})`,
    );
  }
}
