// The BigInt reference for the integer tests: a bits-wide register as the math defines it (no code shared
// with src/), and the fast-check generators they share.
import fc from "fast-check";

export const mod = (v: bigint, bits: number) =>
  ((v % (1n << BigInt(bits))) + (1n << BigInt(bits))) % (1n << BigInt(bits));
export const refRange = (bits: number, signed: boolean) =>
  signed
    ? { min: -(2n ** BigInt(bits - 1)), max: 2n ** BigInt(bits - 1) - 1n }
    : { min: 0n, max: 2n ** BigInt(bits) - 1n };
export const refWrap = (v: bigint, bits: number, signed: boolean) => {
  const r = mod(v, bits);
  return signed && r >= 2n ** BigInt(bits - 1) ? r - 2n ** BigInt(bits) : r;
};

export const bits32 = fc.integer({ min: 1, max: 32 });
export const bits64 = fc.integer({ min: 1, max: 64 });
/** An integer-valued double of any size up to 2^80 (beyond 2^53 they are sparse but exact). */
export const anyInt = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((b) => Number(b)),
);
export const bigAny = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
