/** The f32 packers of the WebAssembly module: A, B and Bᵀ into the panels the GEMM reads (layouts: wasmText.ts). */

import { MR, NR, rowPointers, transpose4x4 } from "./_wasmTile";

/** Packs f32 A [M, K] (row stride lda bytes) into 4-row panels; rows past M read `padRow` (zeros). */
export function packAF32(name: string): string {
  return [
    `(func $${name} (export "${name}") (param $src i32) (param $lda i32) (param $m i32) (param $k i32) (param $padRow i32) (param $dst i32)`,
    `  (local $row i32) (local $kk i32) (local $k4 i32) (local $d i32) (local $panel i32) (local $r i32) (local $pr i32)`,
    `  (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)`,
    `  (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)`,
    `  (local.set $k4 (i32.and (local.get $k) (i32.const -4)))`,
    `  (local.set $panel (i32.mul (local.get $k) (i32.const 16)))`,
    `  (local.set $row (i32.const 0))`,
    `  (block $Brow (loop $Lrow`,
    `    (br_if $Brow (i32.ge_u (local.get $row) (local.get $m)))`,
    ...rowPointers().map((s) => `    ${s}`),
    `    (local.set $kk (i32.const 0))`,
    `    (block $Bk (loop $Lk`,
    `      (br_if $Bk (i32.ge_u (local.get $kk) (local.get $k4)))`,
    ...[0, 1, 2, 3].map(
      (r) =>
        `      (local.set $r${r} (v128.load (i32.add (local.get $p${r}) (i32.shl (local.get $kk) (i32.const 2)))))`,
    ),
    `      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $kk) (i32.const 4))))`,
    ...transpose4x4("(local.get $d)").map((s) => `      ${s}`),
    `      (local.set $kk (i32.add (local.get $kk) (i32.const 4)))`,
    `      (br $Lk)))`,
    `    (block $Bt (loop $Lt`,
    `      (br_if $Bt (i32.ge_u (local.get $kk) (local.get $k)))`,
    `      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $kk) (i32.const 4))))`,
    `      (local.set $r (i32.const 0))`,
    `      (loop $Lr`,
    `        (local.set $pr (select (local.get $p0) (select (local.get $p1) (select (local.get $p2) (local.get $p3) (i32.eq (local.get $r) (i32.const 2))) (i32.eq (local.get $r) (i32.const 1))) (i32.eqz (local.get $r))))`,
    `        (f32.store (i32.add (local.get $d) (i32.shl (local.get $r) (i32.const 2))) (f32.load (i32.add (local.get $pr) (i32.shl (local.get $kk) (i32.const 2)))))`,
    `        (br_if $Lr (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const ${MR}))))`,
    `      (local.set $kk (i32.add (local.get $kk) (i32.const 1)))`,
    `      (br $Lt)))`,
    `    (local.set $dst (i32.add (local.get $dst) (local.get $panel)))`,
    `    (local.set $row (i32.add (local.get $row) (i32.const ${MR})))`,
    `    (br $Lrow)))`,
    `)`,
  ].join("\n");
}

/**
 * Packs f32 B [K, N] (row stride ldb bytes) into 8-column panels; columns past N pack to +0 (never
 * to the bytes that follow, which could be denormals or NaNs). The source must stay readable 32
 * bytes past its last row.
 */
export function packBF32(name: string): string {
  return [
    `(func $${name} (export "${name}") (param $src i32) (param $ldb i32) (param $k i32) (param $n i32) (param $dst i32)`,
    `  (local $col i32) (local $kk i32) (local $s i32) (local $m0 v128) (local $m1 v128) (local $rem v128)`,
    `  (local.set $col (i32.const 0))`,
    `  (block $Bc (loop $Lc`,
    `    (br_if $Bc (i32.ge_u (local.get $col) (local.get $n)))`,
    `    (local.set $rem (i32x4.splat (i32.sub (local.get $n) (local.get $col))))`,
    `    (local.set $m0 (i32x4.lt_s (v128.const i32x4 0 1 2 3) (local.get $rem)))`,
    `    (local.set $m1 (i32x4.lt_s (v128.const i32x4 4 5 6 7) (local.get $rem)))`,
    `    (local.set $s (i32.add (local.get $src) (i32.shl (local.get $col) (i32.const 2))))`,
    `    (local.set $kk (i32.const 0))`,
    `    (block $Bk (loop $Lk`,
    `      (br_if $Bk (i32.ge_u (local.get $kk) (local.get $k)))`,
    `      (v128.store (local.get $dst) (v128.and (v128.load (local.get $s)) (local.get $m0)))`,
    `      (v128.store offset=16 (local.get $dst) (v128.and (v128.load offset=16 (local.get $s)) (local.get $m1)))`,
    `      (local.set $s (i32.add (local.get $s) (local.get $ldb)))`,
    `      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))`,
    `      (local.set $kk (i32.add (local.get $kk) (i32.const 1)))`,
    `      (br $Lk)))`,
    `    (local.set $col (i32.add (local.get $col) (i32.const ${NR})))`,
    `    (br $Lc)))`,
    `)`,
  ].join("\n");
}

/**
 * Packs f32 B stored transposed, [N, K] (row stride ldb bytes), into the panels of packBF32: a full
 * panel moves 4 k at a time (two 4x4 transposes), the k tail and a partial last panel one value at a time.
 */
export function packBtF32(name: string): string {
  const L: string[] = [
    `(func $${name} (export "${name}") (param $src i32) (param $ldb i32) (param $k i32) (param $n i32) (param $dst i32)`,
    `  (local $col i32) (local $kk i32) (local $c i32) (local $j i32) (local $k4 i32) (local $base i32) (local $d i32)`,
    `  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)`,
  ];
  for (let r = 0; r < 8; r++) L.push(`  (local $q${r} v128)`);
  L.push(
    `  (local.set $k4 (i32.and (local.get $k) (i32.const -4)))`,
    `  (local.set $col (i32.const 0))`,
    `  (local.set $base (local.get $dst))`,
    `  (block $Bc (loop $Lc`,
    `    (br_if $Bc (i32.ge_u (local.get $col) (local.get $n)))`,
    `    (local.set $kk (i32.const 0))`,
    `    (if (i32.le_u (i32.add (local.get $col) (i32.const 8)) (local.get $n)) (then`,
    `      (block $Bk (loop $Lk`,
    `        (br_if $Bk (i32.ge_u (local.get $kk) (local.get $k4)))`,
  );
  for (let r = 0; r < 8; r++) {
    L.push(
      `        (local.set $q${r} (v128.load (i32.add (local.get $src) (i32.add (i32.mul (i32.add (local.get $col) (i32.const ${r})) (local.get $ldb)) (i32.shl (local.get $kk) (i32.const 2))))))`,
    );
  }
  L.push(`        (local.set $d (i32.add (local.get $base) (i32.shl (local.get $kk) (i32.const 5))))`);
  L.push(
    ...transpose4x4("(local.get $d)", 32, 0, ["$q0", "$q1", "$q2", "$q3"]).map((line) => `        ${line}`),
  );
  L.push(
    ...transpose4x4("(local.get $d)", 32, 16, ["$q4", "$q5", "$q6", "$q7"]).map((line) => `        ${line}`),
  );
  L.push(
    `        (local.set $kk (i32.add (local.get $kk) (i32.const 4)))`,
    `        (br $Lk)))))`,
    `    (local.set $d (i32.add (local.get $base) (i32.shl (local.get $kk) (i32.const 5))))`,
    `    (block $Bt (loop $Lt`,
    `      (br_if $Bt (i32.ge_u (local.get $kk) (local.get $k)))`,
    `      (local.set $c (i32.const 0))`,
    `      (loop $Lj`,
    `        (local.set $j (i32.add (local.get $col) (local.get $c)))`,
    `        (f32.store (local.get $d) (f32.const 0))`,
    `        (if (i32.lt_u (local.get $j) (local.get $n)) (then`,
    `          (f32.store (local.get $d) (f32.load (i32.add (local.get $src) (i32.add (i32.mul (local.get $j) (local.get $ldb)) (i32.shl (local.get $kk) (i32.const 2))))))))`,
    `        (local.set $d (i32.add (local.get $d) (i32.const 4)))`,
    `        (br_if $Lj (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const ${NR}))))`,
    `      (local.set $kk (i32.add (local.get $kk) (i32.const 1)))`,
    `      (br $Lt)))`,
    `    (local.set $base (i32.add (local.get $base) (i32.shl (local.get $k) (i32.const 5))))`,
    `    (local.set $col (i32.add (local.get $col) (i32.const ${NR})))`,
    `    (br $Lc)))`,
    `)`,
  );
  return L.join("\n");
}
