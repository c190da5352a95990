import { _assertSigned, _describe } from "./_errors";
import { _checkIntArgs, _outOfRange } from "./_intCheck";
import { saturate } from "./saturate";
import { wrap } from "./wrap";

/** What {@link checkInt} does with an integer that does not fit the width. */
export type OverflowMode = "throw" | "saturate" | "wrap";

/** Options of {@link checkInt}. */
export interface CheckIntOptions {
  /** `"throw"` (default): RangeError; `"saturate"`: clamp to the range; `"wrap"`: reduce mod 2^bits. */
  mode?: OverflowMode;
  /** The argument name the error message uses (default `"value"`), e.g. `"zeroPoint"`. */
  name?: string;
}

const MODES: readonly OverflowMode[] = ["throw", "saturate", "wrap"];

/**
 * Checks that `value` is an integer that a `bits`-wide signed or unsigned integer holds, and returns it;
 * an integer out of range throws (mode `"throw"`, the default), saturates or wraps, as asked.
 * A non-integer always throws: rounding is the caller's decision, never a silent one.
 *
 * `bits` is 1..32 for a number `value`, 1..64 for a bigint `value`.
 *
 * @example
 * checkInt(127, 8, true)                        // 127
 * checkInt(128, 8, true, { mode: "saturate" })  // 127
 * checkInt(128, 8, true, { mode: "wrap" })      // -128
 * checkInt(256, 8, false, { name: "zeroPoint" }) // throws RangeError: zeroPoint must be in 0..255 (unsigned 8-bit), got 256
 */
export function checkInt(value: number, bits: number, signed: boolean, options?: CheckIntOptions): number;
export function checkInt(value: bigint, bits: number, signed: boolean, options?: CheckIntOptions): bigint;
export function checkInt(
  value: number | bigint,
  bits: number,
  signed: boolean,
  options: CheckIntOptions = {},
): number | bigint {
  const { mode = "throw", name = "value" } = options;
  if (!MODES.includes(mode)) {
    throw new RangeError(`options.mode must be "throw", "saturate" or "wrap", got ${_describe(mode)}`);
  }
  const big = _checkIntArgs(value, bits, name);
  _assertSigned(signed);
  if (mode === "saturate")
    return big ? saturate(value, bits, signed) : saturate(value as number, bits, signed);
  if (mode === "wrap") return big ? wrap(value, bits, signed) : wrap(value as number, bits, signed);
  const type = `${signed ? "signed" : "unsigned"} ${bits}-bit`;
  if (big) {
    const b = BigInt(bits);
    const min = signed ? -(1n << (b - 1n)) : 0n;
    const max = signed ? (1n << (b - 1n)) - 1n : (1n << b) - 1n;
    if (value < min || value > max) _outOfRange(name, value, min, max, type);
    return value;
  }
  const v = value as number;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (v < min || v > max) _outOfRange(name, v, min, max, type);
  return v;
}
