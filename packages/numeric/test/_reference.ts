/**
 * An independent, slow, exact reference for float formats, written from the definitions with BigInt
 * arithmetic and sharing no code with src/:
 * - a value is a dyadic rational (-1)^sign x sig x 2^exp with a BigInt significand;
 * - decode follows the field formulas and the special-value rules of each encoding;
 * - encode (for formats up to 16 bits) enumerates every finite value, finds the two neighbours of the
 *   input by exact comparison, takes the nearer one and on a tie the one with the even pattern; the
 *   overflow rule is IEEE 754's: round as if the exponent were unbounded (one more value, maxFinite +
 *   the top binade's spacing, follows the largest), and a result past the largest finite value overflows.
 * - encodeByQuantum does the same rounding without enumeration (floor division by the spacing of the
 *   input's binade, remainder against half), for float32 where 2^31 values cannot be listed.
 */

export interface RefSpec {
  name: string;
  E: number;
  m: number;
  bias: number;
  specials: "ieee" | "fn" | "fnuz";
  nanBits: number;
}

export interface Dyadic {
  sig: bigint; // >= 0
  exp: number;
}

export type RefValue =
  | { kind: "nan" }
  | { kind: "inf"; sign: 0 | 1 }
  | { kind: "finite"; sign: 0 | 1; v: Dyadic };

const dv = new DataView(new ArrayBuffer(8));

/** The exact dyadic value of a finite double: |x| = sig * 2^exp. */
export function dyadicOf(x: number): { sign: 0 | 1; v: Dyadic } {
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const sign = (hi >>> 31) as 0 | 1;
  const field = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (field === 2047) throw new Error("dyadicOf: not finite");
  if (field === 0) return { sign, v: { sig: frac, exp: -1074 } };
  return { sign, v: { sig: frac | (1n << 52n), exp: field - 1075 } };
}

/** Compares two dyadics exactly: -1, 0, 1. */
export function cmp(a: Dyadic, b: Dyadic): number {
  const e = Math.min(a.exp, b.exp);
  const x = a.sig << BigInt(a.exp - e);
  const y = b.sig << BigInt(b.exp - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sub(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.exp, b.exp);
  return { sig: (a.sig << BigInt(a.exp - e)) - (b.sig << BigInt(b.exp - e)), exp: e };
}

export function add(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.exp, b.exp);
  return { sig: (a.sig << BigInt(a.exp - e)) + (b.sig << BigInt(b.exp - e)), exp: e };
}

/** Is the double `x` exactly the reference value? (NaN matches NaN; -0 and +0 are told apart.) */
export function sameValue(x: number, r: RefValue): boolean {
  if (r.kind === "nan") return Number.isNaN(x);
  if (r.kind === "inf") return x === (r.sign ? -Infinity : Infinity);
  if (!Number.isFinite(x)) return false;
  const d = dyadicOf(x);
  if (r.v.sig === 0n) return d.v.sig === 0n && d.sign === r.sign;
  return d.sign === r.sign && cmp(d.v, r.v) === 0;
}

export function refDecode(s: RefSpec, bits: number): RefValue {
  const total = 1 + s.E + s.m;
  const sign = Math.floor(bits / 2 ** (total - 1)) as 0 | 1;
  const abs = bits % 2 ** (total - 1);
  const field = Math.floor(abs / 2 ** s.m);
  const mant = abs % 2 ** s.m;
  const allOnesE = field === 2 ** s.E - 1;
  if (s.specials === "ieee" && allOnesE) return mant === 0 ? { kind: "inf", sign } : { kind: "nan" };
  if (s.specials === "fn" && allOnesE && mant === 2 ** s.m - 1) return { kind: "nan" };
  if (s.specials === "fnuz" && sign === 1 && abs === 0) return { kind: "nan" };
  if (field === 0) return { kind: "finite", sign, v: { sig: BigInt(mant), exp: 1 - s.bias - s.m } };
  return { kind: "finite", sign, v: { sig: BigInt(2 ** s.m + mant), exp: field - s.bias - s.m } };
}

interface Entry {
  v: Dyadic;
  pattern: number; // sign-free pattern; -1 for the virtual value past the largest finite one
  even: boolean;
}

const tables = new Map<string, Entry[]>();

/** Every finite non-negative value in increasing order, then the virtual value past the largest. */
export function positiveValues(s: RefSpec): Entry[] {
  const key = JSON.stringify(s);
  const hit = tables.get(key);
  if (hit) return hit;
  const total = 1 + s.E + s.m;
  const list: Entry[] = [];
  for (let p = 0; p < 2 ** (total - 1); p++) {
    const r = refDecode(s, p);
    if (r.kind === "finite") list.push({ v: r.v, pattern: p, even: p % 2 === 0 });
  }
  // Sign-free patterns of a float are ordered like their values: check rather than assume.
  for (let i = 1; i < list.length; i++) {
    if (cmp(list[i - 1]!.v, list[i]!.v) >= 0) throw new Error(`${s.name}: values not increasing at ${i}`);
  }
  const last = list[list.length - 1]!;
  const prev = list[list.length - 2]!;
  // The top binade's spacing is the gap between its two largest values (m >= 1 gives two of them).
  const spacing = sub(last.v, prev.v);
  list.push({ v: add(last.v, spacing), pattern: -1, even: (last.pattern + 1) % 2 === 0 });
  tables.set(key, list);
  return list;
}

function overflowPattern(s: RefSpec, sign: 0 | 1): number {
  const total = 1 + s.E + s.m;
  const signBit = sign * 2 ** (total - 1);
  if (s.specials === "ieee") return signBit + (2 ** s.E - 1) * 2 ** s.m;
  if (s.specials === "fn") return signBit + 2 ** (total - 1) - 1;
  return s.nanBits;
}

/** The reference encode by enumeration (formats up to 16 bits). */
export function refEncode(s: RefSpec, x: number): number {
  const total = 1 + s.E + s.m;
  if (Number.isNaN(x)) return s.nanBits;
  const sign: 0 | 1 = x < 0 || Object.is(x, -0) ? 1 : 0;
  if (!Number.isFinite(x)) return overflowPattern(s, sign);
  const a = dyadicOf(x).v;
  const list = positiveValues(s);
  // Largest index with list[i].v <= a (binary search; list[0] is 0 <= a).
  let lo = 0;
  let hi = list.length - 1;
  if (cmp(a, list[hi]!.v) >= 0) return overflowPattern(s, sign);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cmp(list[mid]!.v, a) <= 0) lo = mid;
    else hi = mid;
  }
  const below = list[lo]!;
  const above = list[hi]!;
  let pick: Entry;
  if (cmp(below.v, a) === 0) pick = below;
  else {
    const c = cmp(sub(a, below.v), sub(above.v, a));
    pick = c < 0 ? below : c > 0 ? above : below.even ? below : above;
  }
  if (pick.pattern === -1) return overflowPattern(s, sign);
  if (pick.pattern === 0 && s.specials === "fnuz") return 0;
  return sign * 2 ** (total - 1) + pick.pattern;
}

/** The reference encode by exact division (any format; used for float32). */
export function refEncodeByQuantum(s: RefSpec, x: number): number {
  const total = 1 + s.E + s.m;
  if (Number.isNaN(x)) return s.nanBits;
  const sign: 0 | 1 = x < 0 || Object.is(x, -0) ? 1 : 0;
  if (!Number.isFinite(x)) return overflowPattern(s, sign);
  const a = dyadicOf(x).v;
  const signBit = sign * 2 ** (total - 1);
  const zero = s.specials === "fnuz" ? 0 : signBit;
  if (a.sig === 0n) return zero;
  const emin = 1 - s.bias;
  const e = a.sig.toString(2).length - 1 + a.exp; // floor(log2 a)
  const eq = Math.max(e, emin);
  // n = a / 2^(eq - m), rounded to nearest, ties to even.
  const shift = a.exp - (eq - s.m);
  let n: bigint;
  if (shift >= 0) n = a.sig << BigInt(shift);
  else {
    const k = BigInt(-shift);
    n = a.sig >> k;
    const rem = a.sig & ((1n << k) - 1n);
    const half = 1n << (k - 1n);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n += 1n;
  }
  if (n === 0n) return zero;
  // n in [2^m, 2^(m+1)] for a normal binade, [0, 2^m] below it; 2^(m+1) moves up one binade.
  let field = eq + s.bias;
  let mant = Number(n) - 2 ** s.m;
  if (Number(n) === 2 ** (s.m + 1)) {
    field += 1;
    mant = 0;
  }
  if (Number(n) < 2 ** s.m) {
    field = 0;
    mant = Number(n);
  }
  const topField = 2 ** s.E - 1;
  const over =
    s.specials === "ieee"
      ? field >= topField
      : s.specials === "fn"
        ? field > topField || (field === topField && mant === 2 ** s.m - 1)
        : field > topField;
  if (over) return overflowPattern(s, sign);
  return signBit + field * 2 ** s.m + mant;
}

export const REF_FLOAT32: RefSpec = {
  name: "float32",
  E: 8,
  m: 23,
  bias: 127,
  specials: "ieee",
  nanBits: 0x7fc00000,
};
export const REF_FLOAT16: RefSpec = {
  name: "float16",
  E: 5,
  m: 10,
  bias: 15,
  specials: "ieee",
  nanBits: 0x7e00,
};
export const REF_BFLOAT16: RefSpec = {
  name: "bfloat16",
  E: 8,
  m: 7,
  bias: 127,
  specials: "ieee",
  nanBits: 0x7fc0,
};
export const REF_E4M3FN: RefSpec = {
  name: "float8_e4m3fn",
  E: 4,
  m: 3,
  bias: 7,
  specials: "fn",
  nanBits: 0x7f,
};
export const REF_E5M2: RefSpec = {
  name: "float8_e5m2",
  E: 5,
  m: 2,
  bias: 15,
  specials: "ieee",
  nanBits: 0x7f,
};
export const REF_E4M3FNUZ: RefSpec = {
  name: "float8_e4m3fnuz",
  E: 4,
  m: 3,
  bias: 8,
  specials: "fnuz",
  nanBits: 0x80,
};
export const REF_E5M2FNUZ: RefSpec = {
  name: "float8_e5m2fnuz",
  E: 5,
  m: 2,
  bias: 16,
  specials: "fnuz",
  nanBits: 0x80,
};

/** float32 neighbours: the next float32 above / below a float32 value (finite, nonzero handling included). */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
export function float32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}
export function float32FromBits(b: number): number {
  u32[0] = b;
  return f32[0]!;
}
/** The float32 one step away from zero (up for positive x) and one step toward zero. */
export function float32Neighbours(x: number): [number, number] {
  const b = float32Bits(x);
  return [float32FromBits(b + 1), float32FromBits(b - 1)];
}
/** The double one step away from zero and one step toward zero. */
export function float64Neighbours(x: number): [number, number] {
  dv.setFloat64(0, x);
  const big = dv.getBigUint64(0);
  dv.setBigUint64(0, big + 1n);
  const up = dv.getFloat64(0);
  dv.setBigUint64(0, big - 1n);
  return [up, dv.getFloat64(0)];
}
/** 2^k for k in -1022..1023, built from the bits. */
function pow2(k: number): number {
  if (k < -1022 || k > 1023) throw new Error(`pow2: ${k} out of range`);
  dv.setBigUint64(0, BigInt(k + 1023) << 52n);
  return dv.getFloat64(0);
}
/** The exact double of a dyadic with sig < 2^53 and a normal-range scale (throws otherwise). */
export function toNumber(d: Dyadic, sign: 0 | 1 = 0): number {
  if (d.sig >= 1n << 53n) throw new Error("toNumber: significand too wide");
  const v = Number(d.sig) * pow2(d.exp);
  return sign ? -v : v;
}
