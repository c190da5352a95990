/**
 * A peer's MatMulInteger (onnxruntime-node here) is measured against the slow reference, never trusted:
 * how many outputs differ and by how much, and a probe of the running CPU that says, per dtype pair,
 * whether the peer's path is exact before a test asserts anything about it.
 *
 * Why a probe: onnxruntime's uint8 x int8 kernel on x86 without VNNI (AVX2, AVX-512 without VNNI)
 * multiplies with `vpmaddubsw`, which adds two u8 x s8 products and saturates the sum to int16
 * (255 x 127 x 2 = 64,770 > 32,767); with VNNI (`vpdpbusd`) the sums go straight to int32 and are exact.
 */
import { compareOutputs, type OutputComparison } from "../bench/gemmExactness";
import type { Int8Like } from "../src/index";
import { refMatmulInteger } from "./_reference";

/** One line: "equals the reference on all 6,400 outputs" or "2,431 of 262,144 outputs differ (by up to 14,287)". */
export function describeExactness(e: OutputComparison): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return e.equal
    ? `equals the reference on all ${n(e.outputs)} outputs`
    : `${n(e.differing)} of ${n(e.outputs)} outputs differ (by up to ${n(e.maxAbsDiff)})`;
}

/** A MatMulInteger under test: A [m, k], B [k, n], zero point per tensor for A, per column for B. */
export type MatmulIntegerPeer = (
  a: Int8Like,
  b: Int8Like,
  m: number,
  k: number,
  n: number,
  aZeroPoint: number,
  bZeroPoint: Int32Array,
) => Promise<Int32Array> | Int32Array;

/** The four dtype pairs of MatMulInteger, A first. */
export const DTYPE_PAIRS = ["uint8 x int8", "uint8 x uint8", "int8 x int8", "int8 x uint8"] as const;
export type DtypePair = (typeof DTYPE_PAIRS)[number];

/** What the probe measured of one dtype pair. */
export interface ProbeResult extends OutputComparison {
  pair: DtypePair;
}

const RANGE = { int8: [-128, 127], uint8: [0, 255] } as const;

/**
 * Runs the peer on operands built to overflow any narrower-than-int32 partial sum: every combination of
 * each dtype's extremes (all max, all min, alternating) for A's rows and B's columns, zero points 0, k = 8,
 * with m = 1 (onnxruntime's GEMV path) and m = 4 (its GEMM path). A saturating uint8 x int8 path misses
 * on the 255 x 127 and 255 x -128 pairs; an exact one equals the reference on every output.
 */
export async function probeMatmulInteger(peer: MatmulIntegerPeer): Promise<Record<DtypePair, ProbeResult>> {
  const k = 8;
  const result = {} as Record<DtypePair, ProbeResult>;
  for (const pair of DTYPE_PAIRS) {
    const [ta, tb] = pair.split(" x ") as ["int8" | "uint8", "int8" | "uint8"];
    const patterns = (t: "int8" | "uint8") => {
      const [lo, hi] = RANGE[t];
      return [
        (_: number) => hi,
        (_: number) => lo,
        (p: number) => (p % 2 === 0 ? hi : lo),
        (p: number) => (p % 2 === 0 ? lo : hi),
      ];
    };
    const rows = patterns(ta);
    const cols = patterns(tb);
    const n = cols.length;
    const b = tb === "int8" ? new Int8Array(k * n) : new Uint8Array(k * n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) b[p * n + j] = cols[j]!(p);
    const zb = new Int32Array(n);
    const theirs: number[] = [];
    const want: number[] = [];
    for (const m of [1, rows.length]) {
      const a = ta === "int8" ? new Int8Array(m * k) : new Uint8Array(m * k);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) a[i * k + p] = rows[i]!(p);
      theirs.push(...(await peer(a, b, m, k, n, 0, zb)));
      want.push(...refMatmulInteger(a, b, m, k, n, 0, zb));
    }
    result[pair] = { pair, ...compareOutputs(theirs, want) };
  }
  return result;
}
