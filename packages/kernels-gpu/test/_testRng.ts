/** A small seeded generator (mulberry32): the same inputs on every run and platform. */
export class TestRng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** A uniform float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A uniform int32. */
  int32(): number {
    return (this.int(0, 0xffff) << 16) | this.int(0, 0xffff);
  }
}

/** Sets `a[i] = f(i)` for every index, in order (so that `f` may draw from a {@link TestRng}); returns `a`. */
export function fillWith<T extends Int8Array | Uint8Array>(a: T, f: (i: number) => number): T {
  for (let i = 0; i < a.length; i++) a[i] = f(i);
  return a;
}
