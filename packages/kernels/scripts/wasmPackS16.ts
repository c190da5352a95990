/**
 * The int16 packers of the WebAssembly module: int8/uint8 A, B and Bᵀ into the int16-pair panels the
 * GEMM reads, zero points subtracted (layouts: wasmText.ts).
 */

import { columnMask16, MR, NR, rowPointers, transpose4x4 } from "./_wasmTile";

/**
 * Packs int8/uint8 A [M, K] (row stride lda bytes) into int16 4-row panels with the zero point
 * subtracted: (a - zp) is in [-255, 255], so every i16 pair product and pair sum is exact.
 * Rows past M read `padRow` (K bytes equal to zp, so they pack to 0); an odd K's last pair ends in 0.
 */
export function packAS16(name: string, signed: boolean): string {
  const load = signed ? "v128.load8x8_s" : "v128.load8x8_u";
  const load8 = signed ? "i32.load8_s" : "i32.load8_u";
  const L: string[] = [];
  L.push(
    `(func $${name} (export "${name}") (param $src i32) (param $lda i32) (param $m i32) (param $k i32) (param $zp i32) (param $padRow i32) (param $dst i32)`,
    `  (local $row i32) (local $kk i32) (local $k8 i32) (local $d i32) (local $panel i32) (local $zpv v128)`,
    `  (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $pr i32) (local $r i32) (local $lo i32) (local $hi i32)`,
    `  (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)`,
    `  (local.set $zpv (i16x8.splat (local.get $zp)))`,
    `  (local.set $k8 (i32.and (local.get $k) (i32.const -8)))`,
    `  (local.set $panel (i32.mul (i32.shr_u (i32.add (local.get $k) (i32.const 1)) (i32.const 1)) (i32.const 16)))`,
    `  (local.set $row (i32.const 0))`,
    `  (block $Brow (loop $Lrow`,
    `    (br_if $Brow (i32.ge_u (local.get $row) (local.get $m)))`,
    ...rowPointers().map((s) => `    ${s}`),
    `    (local.set $kk (i32.const 0))`,
    `    (block $Bk (loop $Lk`,
    `      (br_if $Bk (i32.ge_u (local.get $kk) (local.get $k8)))`,
  );
  for (let r = 0; r < MR; r++) {
    L.push(
      `      (local.set $r${r} (i16x8.sub (${load} (i32.add (local.get $p${r}) (local.get $kk))) (local.get $zpv)))`,
    );
  }
  L.push(
    `      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $kk) (i32.const 3))))`,
    ...transpose4x4("(local.get $d)").map((s) => `      ${s}`),
    `      (local.set $kk (i32.add (local.get $kk) (i32.const 8)))`,
    `      (br $Lk)))`,
    // Tail: pairs past the last multiple of 8, one row at a time.
    `    (block $Bt (loop $Lt`,
    `      (br_if $Bt (i32.ge_u (local.get $kk) (local.get $k)))`,
    `      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $kk) (i32.const 3))))`,
    `      (local.set $r (i32.const 0))`,
    `      (loop $Lr`,
    `        (local.set $pr (select (local.get $p0) (select (local.get $p1) (select (local.get $p2) (local.get $p3) (i32.eq (local.get $r) (i32.const 2))) (i32.eq (local.get $r) (i32.const 1))) (i32.eqz (local.get $r))))`,
    `        (local.set $lo (i32.sub (${load8} (i32.add (local.get $pr) (local.get $kk))) (local.get $zp)))`,
    `        (local.set $hi (select (i32.sub (${load8} (i32.add (local.get $pr) (i32.add (local.get $kk) (i32.const 1)))) (local.get $zp)) (i32.const 0) (i32.lt_u (i32.add (local.get $kk) (i32.const 1)) (local.get $k))))`,
    `        (i32.store16 (i32.add (local.get $d) (i32.shl (local.get $r) (i32.const 2))) (local.get $lo))`,
    `        (i32.store16 offset=2 (i32.add (local.get $d) (i32.shl (local.get $r) (i32.const 2))) (local.get $hi))`,
    `        (br_if $Lr (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const ${MR}))))`,
    `      (local.set $kk (i32.add (local.get $kk) (i32.const 2)))`,
    `      (br $Lt)))`,
    `    (local.set $dst (i32.add (local.get $dst) (local.get $panel)))`,
    `    (local.set $row (i32.add (local.get $row) (i32.const ${MR})))`,
    `    (br $Lrow)))`,
    `)`,
  );
  return L.join("\n");
}

/**
 * Packs int8/uint8 B [K, N] (row stride ldb bytes) into int16 8-column panels with per-column zero
 * points subtracted (`zp`: N int16 values, then zeros to a multiple of 8). Columns past N pack to 0;
 * the source must stay readable 8 bytes past its last row (the caller leaves slack).
 */
export function packBS16(name: string, signed: boolean): string {
  const load = signed ? "v128.load8x8_s" : "v128.load8x8_u";
  const interleaveLo = "0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23";
  const interleaveHi = "8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31";
  return [
    `(func $${name} (export "${name}") (param $src i32) (param $ldb i32) (param $k i32) (param $n i32) (param $zp i32) (param $dst i32)`,
    `  (local $col i32) (local $p i32) (local $pairs i32) (local $s i32) (local $d i32) (local $zpv v128) (local $mask v128) (local $e v128) (local $o v128)`,
    `  (local.set $pairs (i32.shr_u (local.get $k) (i32.const 1)))`,
    `  (local.set $col (i32.const 0))`,
    `  (block $Bc (loop $Lc`,
    `    (br_if $Bc (i32.ge_u (local.get $col) (local.get $n)))`,
    `    (local.set $zpv (v128.load (i32.add (local.get $zp) (i32.shl (local.get $col) (i32.const 1)))))`,
    `    (local.set $mask ${columnMask16()})`,
    `    (local.set $s (i32.add (local.get $src) (local.get $col)))`,
    `    (local.set $p (i32.const 0))`,
    `    (block $Bp (loop $Lp`,
    `      (br_if $Bp (i32.ge_u (local.get $p) (local.get $pairs)))`,
    `      (local.set $e (v128.and (i16x8.sub (${load} (local.get $s)) (local.get $zpv)) (local.get $mask)))`,
    `      (local.set $o (v128.and (i16x8.sub (${load} (i32.add (local.get $s) (local.get $ldb))) (local.get $zpv)) (local.get $mask)))`,
    `      (v128.store (local.get $dst) (i8x16.shuffle ${interleaveLo} (local.get $e) (local.get $o)))`,
    `      (v128.store offset=16 (local.get $dst) (i8x16.shuffle ${interleaveHi} (local.get $e) (local.get $o)))`,
    `      (local.set $s (i32.add (local.get $s) (i32.shl (local.get $ldb) (i32.const 1))))`,
    `      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))`,
    `      (local.set $p (i32.add (local.get $p) (i32.const 1)))`,
    `      (br $Lp)))`,
    `    (if (i32.and (local.get $k) (i32.const 1)) (then`,
    `      (local.set $e (v128.and (i16x8.sub (${load} (local.get $s)) (local.get $zpv)) (local.get $mask)))`,
    `      (local.set $o (v128.const i32x4 0 0 0 0))`,
    `      (v128.store (local.get $dst) (i8x16.shuffle ${interleaveLo} (local.get $e) (local.get $o)))`,
    `      (v128.store offset=16 (local.get $dst) (i8x16.shuffle ${interleaveHi} (local.get $e) (local.get $o)))`,
    `      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))))`,
    `    (local.set $col (i32.add (local.get $col) (i32.const ${NR})))`,
    `    (br $Lc)))`,
    `)`,
  ].join("\n");
}

/**
 * Packs int8/uint8 B stored transposed, [N, K] (row stride ldb bytes), into the same int16 panels as
 * packBS16. A full panel (8 rows of B^T) moves 16 k at a time: each row's 16 bytes widen to two
 * vectors of 4 pairs, and four 4x4 transposes of 32-bit pairs lay them out per k-pair. The k tail
 * and a partial last panel go one pair at a time.
 */
export function packBtS16(name: string, signed: boolean): string {
  const load8 = signed ? "i32.load8_s" : "i32.load8_u";
  const extendLow = signed ? "i16x8.extend_low_i8x16_s" : "i16x8.extend_low_i8x16_u";
  const extendHigh = signed ? "i16x8.extend_high_i8x16_s" : "i16x8.extend_high_i8x16_u";
  const L: string[] = [
    `(func $${name} (export "${name}") (param $src i32) (param $ldb i32) (param $k i32) (param $n i32) (param $zp i32) (param $dst i32)`,
    `  (local $col i32) (local $kk i32) (local $c i32) (local $j i32) (local $s i32) (local $z i32) (local $lo i32) (local $hi i32)`,
    `  (local $k16 i32) (local $pairs i32) (local $panel i32) (local $base i32) (local $d i32) (local $row i32) (local $w v128)`,
    `  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)`,
  ];
  for (let r = 0; r < 8; r++) L.push(`  (local $l${r} v128) (local $h${r} v128)`);
  L.push(
    `  (local.set $pairs (i32.shr_u (i32.add (local.get $k) (i32.const 1)) (i32.const 1)))`,
    `  (local.set $panel (i32.mul (local.get $pairs) (i32.const 32)))`,
    `  (local.set $k16 (i32.and (local.get $k) (i32.const -16)))`,
    `  (local.set $col (i32.const 0))`,
    `  (local.set $base (local.get $dst))`,
    `  (block $Bc (loop $Lc`,
    `    (br_if $Bc (i32.ge_u (local.get $col) (local.get $n)))`,
    `    (local.set $kk (i32.const 0))`,
    `    (if (i32.le_u (i32.add (local.get $col) (i32.const 8)) (local.get $n)) (then`,
    `      (block $Bk (loop $Lk`,
    `        (br_if $Bk (i32.ge_u (local.get $kk) (local.get $k16)))`,
  );
  for (let r = 0; r < 8; r++) {
    L.push(
      `        (local.set $row (i32.add (local.get $col) (i32.const ${r})))`,
      `        (local.set $w (v128.load (i32.add (local.get $src) (i32.add (i32.mul (local.get $row) (local.get $ldb)) (local.get $kk)))))`,
      `        (local.set $t0 (v128.load16_splat (i32.add (local.get $zp) (i32.shl (local.get $row) (i32.const 1)))))`,
      `        (local.set $l${r} (i16x8.sub (${extendLow} (local.get $w)) (local.get $t0)))`,
      `        (local.set $h${r} (i16x8.sub (${extendHigh} (local.get $w)) (local.get $t0)))`,
    );
  }
  L.push(`        (local.set $d (i32.add (local.get $base) (i32.shl (local.get $kk) (i32.const 4))))`);
  // k-pair p of this 16: the low halves hold pairs 0..3, the high halves pairs 4..7; rows 0..3 go to
  // bytes 0..15 of a pair's 32, rows 4..7 to bytes 16..31.
  for (const [half, pairBase] of [
    ["l", 0],
    ["h", 4],
  ] as const) {
    for (const [rowBase, byteBase] of [
      [0, 0],
      [4, 16],
    ] as const) {
      const rows = [0, 1, 2, 3].map((r) => `$${half}${rowBase + r}`);
      L.push(
        ...transpose4x4("(local.get $d)", 32, pairBase * 32 + byteBase, rows).map(
          (line) => `        ${line}`,
        ),
      );
    }
  }
  L.push(
    `        (local.set $kk (i32.add (local.get $kk) (i32.const 16)))`,
    `        (br $Lk)))))`,
    // The k tail, or the whole partial panel, one pair at a time.
    `    (local.set $d (i32.add (local.get $base) (i32.shl (local.get $kk) (i32.const 4))))`,
    `    (block $Bt (loop $Lt`,
    `      (br_if $Bt (i32.ge_u (local.get $kk) (local.get $k)))`,
    `      (local.set $c (i32.const 0))`,
    `      (loop $Lj`,
    `        (local.set $j (i32.add (local.get $col) (local.get $c)))`,
    `        (local.set $lo (i32.const 0))`,
    `        (local.set $hi (i32.const 0))`,
    `        (if (i32.lt_u (local.get $j) (local.get $n)) (then`,
    `          (local.set $z (i32.load16_s (i32.add (local.get $zp) (i32.shl (local.get $j) (i32.const 1)))))`,
    `          (local.set $s (i32.add (local.get $src) (i32.add (i32.mul (local.get $j) (local.get $ldb)) (local.get $kk))))`,
    `          (local.set $lo (i32.sub (${load8} (local.get $s)) (local.get $z)))`,
    `          (if (i32.lt_u (i32.add (local.get $kk) (i32.const 1)) (local.get $k)) (then`,
    `            (local.set $hi (i32.sub (${load8} offset=1 (local.get $s)) (local.get $z)))))))`,
    `        (i32.store16 (local.get $d) (local.get $lo))`,
    `        (i32.store16 offset=2 (local.get $d) (local.get $hi))`,
    `        (local.set $d (i32.add (local.get $d) (i32.const 4)))`,
    `        (br_if $Lj (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const ${NR}))))`,
    `      (local.set $kk (i32.add (local.get $kk) (i32.const 2)))`,
    `      (br $Lt)))`,
    `    (local.set $base (i32.add (local.get $base) (local.get $panel)))`,
    `    (local.set $col (i32.add (local.get $col) (i32.const ${NR})))`,
    `    (br $Lc)))`,
    `)`,
  );
  return L.join("\n");
}
