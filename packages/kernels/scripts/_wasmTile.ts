/**
 * What the WebAssembly text's generators share: the register tile (MR x NR) and its vector count,
 * the 32-bit lane shuffles of a 4x4 transpose, an A panel's row pointers and a B panel's column mask.
 */

/** Rows of the register tile (accumulators: MR x NR/4 vectors). */
export const MR = 4;
/** Columns of the register tile. */
export const NR = 8;

/** 32-bit-lane vectors in a row of the tile. */
export const NV = NR / 4;

/** Byte indices of an i8x16.shuffle that moves 32-bit lanes: [operand][lane] pairs. */
export function lanes32(picks: [number, number][]): string {
  return picks.flatMap(([op, lane]) => [0, 1, 2, 3].map((b) => op * 16 + lane * 4 + b)).join(" ");
}

/**
 * The 4x4 transpose of 32-bit lanes: rows in `rows` (default $r0..$r3), column t stored at
 * dst + base + t * stride. Uses locals $t0..$t3.
 */
export function transpose4x4(
  dst: string,
  stride = 16,
  base = 0,
  rows: readonly string[] = ["$r0", "$r1", "$r2", "$r3"],
): string[] {
  const [a, b, c, d] = rows;
  const lo = lanes32([
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ]);
  const hi = lanes32([
    [0, 2],
    [1, 2],
    [0, 3],
    [1, 3],
  ]);
  const low64 = lanes32([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const high64 = lanes32([
    [0, 2],
    [0, 3],
    [1, 2],
    [1, 3],
  ]);
  return [
    `(local.set $t0 (i8x16.shuffle ${lo} (local.get ${a}) (local.get ${b})))`,
    `(local.set $t1 (i8x16.shuffle ${lo} (local.get ${c}) (local.get ${d})))`,
    `(local.set $t2 (i8x16.shuffle ${hi} (local.get ${a}) (local.get ${b})))`,
    `(local.set $t3 (i8x16.shuffle ${hi} (local.get ${c}) (local.get ${d})))`,
    `(v128.store offset=${base} ${dst} (i8x16.shuffle ${low64} (local.get $t0) (local.get $t1)))`,
    `(v128.store offset=${base + stride} ${dst} (i8x16.shuffle ${high64} (local.get $t0) (local.get $t1)))`,
    `(v128.store offset=${base + 2 * stride} ${dst} (i8x16.shuffle ${low64} (local.get $t2) (local.get $t3)))`,
    `(v128.store offset=${base + 3 * stride} ${dst} (i8x16.shuffle ${high64} (local.get $t2) (local.get $t3)))`,
  ];
}

/** Row pointers of an A panel: rows at or past M read `padRow` (its values pack to zero). */
export function rowPointers(): string[] {
  const L: string[] = [];
  for (let r = 0; r < MR; r++) {
    L.push(
      `(local.set $p${r} (select (i32.add (local.get $src) (i32.mul (i32.add (local.get $row) (i32.const ${r})) (local.get $lda))) (local.get $padRow) (i32.lt_u (i32.add (local.get $row) (i32.const ${r})) (local.get $m))))`,
    );
  }
  return L;
}

/** Lane mask of the 8 columns of panel j: all ones for columns < n, zero past the edge. */
export function columnMask16(): string {
  return `(i16x8.lt_s (v128.const i16x8 0 1 2 3 4 5 6 7) (i16x8.splat (i32.sub (local.get $n) (local.get $col))))`;
}
