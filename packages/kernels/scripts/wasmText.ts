/**
 * The WebAssembly text of @quantkit/kernels' SIMD module, generated from templates so that the
 * unrolled micro-kernels and the signed/unsigned packing variants come from one source.
 * `scripts/gen-wasm.ts` assembles it with wabt and writes `src/_wasmBytes.ts`; a test checks that the
 * committed bytes equal a fresh assembly.
 *
 * Every pointer is a byte offset into the imported memory. Layouts (MR = 4 rows, NR = 8 columns):
 * - packed A, int16: panels of 4 rows; per k-pair the 4 rows' (a[2p], a[2p+1]) as int16 pairs, 16 bytes.
 * - packed B, int16: panels of 8 columns; per k-pair the 8 columns' (b[2p], b[2p+1]) pairs, 32 bytes.
 * - packed A, f32: panels of 4 rows; per k the 4 rows' values, 16 bytes.
 * - packed B, f32: panels of 8 columns; per k the 8 columns' values, 32 bytes.
 * - C: int32 or f32, row-major, row stride `ldc` bytes (a multiple of 32), tiles of 4 x 8.
 */

/** Rows of the register tile (accumulators: MR x NR/4 vectors). */
export const MR = 4;
/** Columns of the register tile. */
export const NR = 8;

const NV = NR / 4;

/**
 * The micro-kernel driver: for each of `nPanels` B panels and `mPanels` A panels, a 4 x 8 tile of C
 * accumulated over `steps` steps (k-pairs for int16, k for f32) in registers, then stored (or added to
 * what C holds when `accum` is 1). 4 x 8 with no manual unrolling measured fastest of 4x8, 5x8, 6x8,
 * 3x12, 4x12, 2x16, 3x16 (each with and without 2x unrolling) for both kinds on Node 20's TurboFan:
 * 8 accumulators + 2 B vectors + 1 broadcast stay in the 16 xmm registers without spills.
 */
function gemm(name: string, kind: "s16" | "f32"): string {
  const L: string[] = [];
  const acc = (r: number, v: number) => `$c${r}_${v}`;
  L.push(
    `(func $${name} (export "${name}") (param $a i32) (param $aStride i32) (param $b i32) (param $bStride i32)`,
    `  (param $c i32) (param $ldc i32) (param $mPanels i32) (param $nPanels i32) (param $steps i32) (param $accum i32)`,
    `  (local $jr i32) (local $ir i32) (local $ap i32) (local $bp i32) (local $k i32) (local $cp i32) (local $x v128)`,
  );
  for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) L.push(`  (local ${acc(r, v)} v128)`);
  for (let v = 0; v < NV; v++) L.push(`  (local $b${v} v128)`);
  L.push(
    `  (local.set $jr (i32.const 0))`,
    `  (loop $Ljr`,
    `  (local.set $ir (i32.const 0))`,
    `  (loop $Lir`,
  );
  L.push(
    `    (local.set $cp (i32.add (local.get $c) (i32.add (i32.mul (i32.mul (local.get $ir) (i32.const ${MR})) (local.get $ldc)) (i32.mul (local.get $jr) (i32.const ${NR * 4})))))`,
  );
  L.push(`    (if (local.get $accum) (then`);
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < NV; v++) {
      L.push(
        `      (local.set ${acc(r, v)} (v128.load offset=${v * 16} (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const ${r})))))`,
      );
    }
  }
  L.push(`    ) (else`);
  for (let r = 0; r < MR; r++)
    for (let v = 0; v < NV; v++) L.push(`      (local.set ${acc(r, v)} (v128.const i32x4 0 0 0 0))`);
  L.push(`    ))`);
  L.push(
    `    (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $ir) (local.get $aStride))))`,
    `    (local.set $bp (i32.add (local.get $b) (i32.mul (local.get $jr) (local.get $bStride))))`,
    `    (local.set $k (local.get $steps))`,
    `    (loop $Lk`,
  );
  for (let v = 0; v < NV; v++)
    L.push(`      (local.set $b${v} (v128.load offset=${v * 16} (local.get $bp)))`);
  for (let r = 0; r < MR; r++) {
    L.push(`      (local.set $x (v128.load32_splat offset=${r * 4} (local.get $ap)))`);
    for (let v = 0; v < NV; v++) {
      const product =
        kind === "s16"
          ? `(i32x4.dot_i16x8_s (local.get $x) (local.get $b${v}))`
          : `(f32x4.mul (local.get $x) (local.get $b${v}))`;
      const add = kind === "s16" ? "i32x4.add" : "f32x4.add";
      L.push(`      (local.set ${acc(r, v)} (${add} (local.get ${acc(r, v)}) ${product}))`);
    }
  }
  L.push(
    `      (local.set $ap (i32.add (local.get $ap) (i32.const ${MR * 4})))`,
    `      (local.set $bp (i32.add (local.get $bp) (i32.const ${NR * 4})))`,
    `      (br_if $Lk (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))`,
  );
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < NV; v++)
      L.push(`    (v128.store offset=${v * 16} (local.get $cp) (local.get ${acc(r, v)}))`);
    if (r < MR - 1) L.push(`    (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))`);
  }
  L.push(
    `    (br_if $Lir (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (i32.const 1))) (local.get $mPanels))))`,
    `  (br_if $Ljr (i32.lt_u (local.tee $jr (i32.add (local.get $jr) (i32.const 1))) (local.get $nPanels))))`,
    `)`,
  );
  return L.join("\n");
}

/** Byte indices of an i8x16.shuffle that moves 32-bit lanes: [operand][lane] pairs. */
function lanes32(picks: [number, number][]): string {
  return picks.flatMap(([op, lane]) => [0, 1, 2, 3].map((b) => op * 16 + lane * 4 + b)).join(" ");
}

/**
 * The 4x4 transpose of 32-bit lanes: rows in `rows` (default $r0..$r3), column t stored at
 * dst + base + t * stride. Uses locals $t0..$t3.
 */
function transpose4x4(
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
function rowPointers(): string[] {
  const L: string[] = [];
  for (let r = 0; r < MR; r++) {
    L.push(
      `(local.set $p${r} (select (i32.add (local.get $src) (i32.mul (i32.add (local.get $row) (i32.const ${r})) (local.get $lda))) (local.get $padRow) (i32.lt_u (i32.add (local.get $row) (i32.const ${r})) (local.get $m))))`,
    );
  }
  return L;
}

/**
 * Packs int8/uint8 A [M, K] (row stride lda bytes) into int16 4-row panels with the zero point
 * subtracted: (a - zp) is in [-255, 255], so every i16 pair product and pair sum is exact.
 * Rows past M read `padRow` (K bytes equal to zp, so they pack to 0); an odd K's last pair ends in 0.
 */
function packAS16(name: string, signed: boolean): string {
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

/** Lane mask of the 8 columns of panel j: all ones for columns < n, zero past the edge. */
function columnMask16(): string {
  return `(i16x8.lt_s (v128.const i16x8 0 1 2 3 4 5 6 7) (i16x8.splat (i32.sub (local.get $n) (local.get $col))))`;
}

/**
 * Packs int8/uint8 B [K, N] (row stride ldb bytes) into int16 8-column panels with per-column zero
 * points subtracted (`zp`: N int16 values, then zeros to a multiple of 8). Columns past N pack to 0;
 * the source must stay readable 8 bytes past its last row (the caller leaves slack).
 */
function packBS16(name: string, signed: boolean): string {
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
function packBtS16(name: string, signed: boolean): string {
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

/** Packs f32 A [M, K] (row stride lda bytes) into 4-row panels; rows past M read `padRow` (zeros). */
function packAF32(name: string): string {
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
function packBF32(name: string): string {
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
function packBtF32(name: string): string {
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

/**
 * The scalar requantization of one accumulator (locals $x = acc + bias, $q multiplier, $s shift),
 * leaving the clamped code minus the zero point in $x. Branch-free: the one overflow of
 * SaturatingRoundingDoublingHighMul (INT32_MIN * INT32_MIN) is a select.
 */
function requantScalarBody(): string[] {
  return [
    `(local.set $left (select (local.get $s) (i32.const 0) (i32.gt_s (local.get $s) (i32.const 0))))`,
    `(local.set $right (select (i32.const 0) (i32.sub (i32.const 0) (local.get $s)) (i32.gt_s (local.get $s) (i32.const 0))))`,
    `(local.set $x (i32.shl (local.get $x) (local.get $left)))`,
    `(local.set $ab (i64.mul (i64.extend_i32_s (local.get $x)) (i64.extend_i32_s (local.get $q))))`,
    // nudge = 2^30 for ab >= 0, 1 - 2^30 = 2^30 - (2^31 - 1) for ab < 0.
    `(local.set $ab (i64.add (local.get $ab) (i64.sub (i64.const 0x40000000) (i64.and (i64.shr_s (local.get $ab) (i64.const 63)) (i64.const 0x7fffffff)))))`,
    // (ab + nudge) / 2^31 truncated toward zero: add 2^31 - 1 to negatives before the arithmetic shift.
    `(local.set $hi (select (i32.const 0x7fffffff)`,
    `  (i32.wrap_i64 (i64.shr_s (i64.add (local.get $ab) (i64.and (i64.shr_s (local.get $ab) (i64.const 63)) (i64.const 0x7fffffff))) (i64.const 31)))`,
    `  (i32.and (i32.eq (local.get $x) (i32.const 0x80000000)) (i32.eq (local.get $q) (i32.const 0x80000000)))))`,
    // RoundingDivideByPOT: round half away from zero.
    `(local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $right)) (i32.const 1)))`,
    `(local.set $x (i32.add (i32.shr_s (local.get $hi) (local.get $right))`,
    `  (i32.gt_s (i32.and (local.get $hi) (local.get $mask)) (i32.add (i32.shr_s (local.get $mask) (i32.const 1)) (i32.lt_s (local.get $hi) (i32.const 0))))))`,
    `(local.set $x (select (local.get $lo) (local.get $x) (i32.lt_s (local.get $x) (local.get $lo))))`,
    `(local.set $x (select (local.get $top) (local.get $x) (i32.gt_s (local.get $x) (local.get $top))))`,
  ];
}

/**
 * SIMD requantization of 4 accumulators in $v with one multiplier ($qv = splat) and one shift
 * ($left, $right scalars), leaving clamp(result, lo, top) + zp in $v. SaturatingRoundingDoublingHighMul
 * runs on i64x2 halves (extmul gives the exact 62-bit products); only the low 32 bits of
 * (ab + nudge) / 2^31 are kept, so a logical shift serves (psrlq; SSE has no 64-bit arithmetic shift).
 */
function requantVectorBody(): string[] {
  const srdhm = (half: "low" | "high", target: string) => [
    `(local.set ${target} (i64x2.extmul_${half}_i32x4_s (local.get $v) (local.get $qv)))`,
    `(local.set ${target} (i64x2.add (local.get ${target}) (i64x2.sub (v128.const i64x2 0x40000000 0x40000000)`,
    `  (v128.and (i64x2.lt_s (local.get ${target}) (v128.const i64x2 0 0)) (v128.const i64x2 0x7fffffff 0x7fffffff)))))`,
    `(local.set ${target} (i64x2.shr_u (i64x2.add (local.get ${target})`,
    `  (v128.and (i64x2.lt_s (local.get ${target}) (v128.const i64x2 0 0)) (v128.const i64x2 0x7fffffff 0x7fffffff))) (i32.const 31)))`,
  ];
  return [
    `(local.set $v (i32x4.shl (local.get $v) (local.get $left)))`,
    ...srdhm("low", "$p0"),
    ...srdhm("high", "$p1"),
    `(local.set $h (v128.bitselect (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)`,
    `  (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $p0) (local.get $p1))`,
    `  (v128.and (i32x4.eq (local.get $v) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))`,
    `    (i32x4.eq (local.get $qv) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))))`,
    // RoundingDivideByPOT: (h >> r) + (rem > thr), thr = (mask >> 1) + (h < 0); compares give -1 for true.
    `(local.set $v (i32x4.sub (i32x4.shr_s (local.get $h) (local.get $right))`,
    `  (i32x4.gt_s (v128.and (local.get $h) (local.get $maskv))`,
    `    (i32x4.sub (local.get $halfv) (i32x4.lt_s (local.get $h) (v128.const i32x4 0 0 0 0))))))`,
    `(local.set $v (i32x4.add (i32x4.min_s (i32x4.max_s (local.get $v) (local.get $lov)) (local.get $topv)) (local.get $zpv)))`,
  ];
}

/**
 * Requantizes int32 accumulators C [M, N] (row stride ldc bytes) to 8-bit codes (row stride ldo):
 * y = clamp(MultiplyByQuantizedMultiplier(acc + bias[ch], multiplier[ch], shift[ch]) + zp, qmin, qmax),
 * ch = the column (byRow = 0) or the row (byRow = 1); multiplier/shift hold one entry when perChannel
 * is 0. bias = 0 means no bias (address 0 is never handed out). acc + bias wraps modulo 2^32, as the
 * accumulation does. Rows whose multiplier is one number (per tensor, or per row) run 16 outputs at a
 * time in SIMD (measured: about 10x the scalar loop); per-column multipliers would need per-lane
 * shifts, which WebAssembly SIMD lacks, so they take the scalar loop (a native i64 product each).
 */
function requant(name: string): string {
  const L: string[] = [];
  L.push(
    `(func $${name} (export "${name}") (param $c i32) (param $ldc i32) (param $m i32) (param $n i32) (param $bias i32)`,
    `  (param $mult i32) (param $shift i32) (param $perChannel i32) (param $byRow i32) (param $zp i32) (param $qmin i32) (param $qmax i32)`,
    `  (param $out i32) (param $ldo i32)`,
    `  (local $i i32) (local $j i32) (local $ch i32) (local $idx i32) (local $x i32) (local $q i32) (local $s i32) (local $left i32) (local $right i32)`,
    `  (local $hi i32) (local $mask i32) (local $ab i64) (local $lo i32) (local $top i32) (local $cp i32) (local $op i32) (local $uniform i32)`,
    `  (local $n16 i32) (local $g i32) (local $v v128) (local $h v128) (local $p0 v128) (local $p1 v128) (local $qv v128) (local $bv v128)`,
    `  (local $maskv v128) (local $halfv v128) (local $lov v128) (local $topv v128) (local $zpv v128)`,
    `  (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)`,
    `  (local.set $lo (i32.sub (local.get $qmin) (local.get $zp)))`,
    `  (local.set $top (i32.sub (local.get $qmax) (local.get $zp)))`,
    `  (local.set $lov (i32x4.splat (local.get $lo)))`,
    `  (local.set $topv (i32x4.splat (local.get $top)))`,
    `  (local.set $zpv (i32x4.splat (local.get $zp)))`,
    `  (local.set $uniform (i32.or (i32.eqz (local.get $perChannel)) (local.get $byRow)))`,
    `  (local.set $n16 (select (i32.and (local.get $n) (i32.const -16)) (i32.const 0) (local.get $uniform)))`,
    `  (local.set $i (i32.const 0))`,
    `  (block $Bi (loop $Li`,
    `    (br_if $Bi (i32.ge_u (local.get $i) (local.get $m)))`,
    `    (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))`,
    `    (local.set $op (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $ldo))))`,
    // The row's multiplier when it is one number: per tensor (entry 0) or per row (entry i).
    `    (local.set $idx (select (local.get $i) (i32.const 0) (i32.and (local.get $perChannel) (local.get $byRow))))`,
    `    (local.set $q (i32.load (i32.add (local.get $mult) (i32.shl (local.get $idx) (i32.const 2)))))`,
    `    (local.set $s (i32.load (i32.add (local.get $shift) (i32.shl (local.get $idx) (i32.const 2)))))`,
    `    (local.set $qv (i32x4.splat (local.get $q)))`,
    `    (local.set $left (select (local.get $s) (i32.const 0) (i32.gt_s (local.get $s) (i32.const 0))))`,
    `    (local.set $right (select (i32.const 0) (i32.sub (i32.const 0) (local.get $s)) (i32.gt_s (local.get $s) (i32.const 0))))`,
    `    (local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $right)) (i32.const 1)))`,
    `    (local.set $maskv (i32x4.splat (local.get $mask)))`,
    `    (local.set $halfv (i32x4.splat (i32.shr_s (local.get $mask) (i32.const 1))))`,
    `    (local.set $bv (v128.const i32x4 0 0 0 0))`,
    `    (if (i32.and (i32.ne (local.get $bias) (i32.const 0)) (local.get $byRow)) (then`,
    `      (local.set $bv (v128.load32_splat (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2)))))))`,
    `    (local.set $j (i32.const 0))`,
    `    (block $Bv (loop $Lv`,
    `      (br_if $Bv (i32.ge_u (local.get $j) (local.get $n16)))`,
  );
  for (let g = 0; g < 4; g++) {
    L.push(
      `      (local.set $v (v128.load offset=${g * 16} (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2)))))`,
    );
    L.push(
      `      (if (i32.and (i32.ne (local.get $bias) (i32.const 0)) (i32.eqz (local.get $byRow))) (then`,
      `        (local.set $bv (v128.load offset=${g * 16} (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))))`,
      `      (local.set $v (i32x4.add (local.get $v) (local.get $bv)))`,
    );
    for (const line of requantVectorBody()) L.push(`      ${line}`);
    L.push(`      (local.set $r${g} (local.get $v))`);
  }
  L.push(
    `      (local.set $v (i16x8.narrow_i32x4_s (local.get $r0) (local.get $r1)))`,
    `      (local.set $h (i16x8.narrow_i32x4_s (local.get $r2) (local.get $r3)))`,
    // The codes are already clamped into the output dtype, so either narrowing is exact.
    `      (v128.store (i32.add (local.get $op) (local.get $j)) (select (i8x16.narrow_i16x8_s (local.get $v) (local.get $h))`,
    `        (i8x16.narrow_i16x8_u (local.get $v) (local.get $h)) (i32.lt_s (local.get $qmin) (i32.const 0))))`,
    `      (local.set $j (i32.add (local.get $j) (i32.const 16)))`,
    `      (br $Lv)))`,
    // Scalar tail (and the whole row for per-column multipliers).
    `    (block $Bj (loop $Lj`,
    `      (br_if $Bj (i32.ge_u (local.get $j) (local.get $n)))`,
    `      (local.set $ch (select (local.get $i) (local.get $j) (local.get $byRow)))`,
    `      (if (i32.eqz (local.get $uniform)) (then`,
    `        (local.set $q (i32.load (i32.add (local.get $mult) (i32.shl (local.get $ch) (i32.const 2)))))`,
    `        (local.set $s (i32.load (i32.add (local.get $shift) (i32.shl (local.get $ch) (i32.const 2)))))))`,
    `      (local.set $x (i32.load (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2)))))`,
    `      (if (local.get $bias) (then`,
    `        (local.set $x (i32.add (local.get $x) (i32.load (i32.add (local.get $bias) (i32.shl (local.get $ch) (i32.const 2))))))))`,
  );
  for (const line of requantScalarBody()) L.push(`      ${line}`);
  L.push(
    `      (i32.store8 (i32.add (local.get $op) (local.get $j)) (i32.add (local.get $x) (local.get $zp)))`,
    `      (local.set $j (i32.add (local.get $j) (i32.const 1)))`,
    `      (br $Lj)))`,
    `    (local.set $i (i32.add (local.get $i) (i32.const 1)))`,
    `    (br $Li)))`,
    `)`,
  );
  return L.join("\n");
}

/**
 * Adds an f32 bias to C [M, n4] (row stride ldc bytes, n4 a multiple of 4): per column (byRow = 0,
 * bias padded to n4) or per row (byRow = 1). fround(acc + bias), the JS path's order too.
 */
function biasF32(name: string): string {
  return [
    `(func $${name} (export "${name}") (param $c i32) (param $ldc i32) (param $m i32) (param $n4 i32) (param $bias i32) (param $byRow i32)`,
    `  (local $i i32) (local $j i32) (local $p i32) (local $b v128)`,
    `  (local.set $i (i32.const 0))`,
    `  (block $Bi (loop $Li`,
    `    (br_if $Bi (i32.ge_u (local.get $i) (local.get $m)))`,
    `    (local.set $p (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))`,
    `    (if (local.get $byRow) (then (local.set $b (v128.load32_splat (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2)))))))`,
    `    (local.set $j (i32.const 0))`,
    `    (block $Bj (loop $Lj`,
    `      (br_if $Bj (i32.ge_u (local.get $j) (local.get $n4)))`,
    `      (if (i32.eqz (local.get $byRow)) (then (local.set $b (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))))`,
    `      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $b)))`,
    `      (local.set $p (i32.add (local.get $p) (i32.const 16)))`,
    `      (local.set $j (i32.add (local.get $j) (i32.const 4)))`,
    `      (br $Lj)))`,
    `    (local.set $i (i32.add (local.get $i) (i32.const 1)))`,
    `    (br $Li)))`,
    `)`,
  ].join("\n");
}

/** Moves rows of stride ldc bytes together to stride rowBytes, in place (rowBytes <= ldc). */
function compactRows(name: string): string {
  return [
    `(func $${name} (export "${name}") (param $c i32) (param $ldc i32) (param $m i32) (param $rowBytes i32)`,
    `  (local $i i32)`,
    `  (local.set $i (i32.const 1))`,
    `  (block $Bi (loop $Li`,
    `    (br_if $Bi (i32.ge_u (local.get $i) (local.get $m)))`,
    `    (memory.copy (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $rowBytes))) (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))) (local.get $rowBytes))`,
    `    (local.set $i (i32.add (local.get $i) (i32.const 1)))`,
    `    (br $Li)))`,
    `)`,
  ].join("\n");
}

/**
 * The whole module's text. `shared` declares the imported memory shared (for worker threads, which
 * need SharedArrayBuffer); otherwise it is a plain memory, usable without cross-origin isolation.
 */
export function wasmText(options: { shared: boolean }): string {
  const memory = `(memory (import "env" "memory") 1 65536${options.shared ? " shared" : ""})`;
  return [
    "(module",
    memory,
    gemm("gemm_s16", "s16"),
    gemm("gemm_f32", "f32"),
    packAS16("pack_a_s8", true),
    packAS16("pack_a_u8", false),
    packBS16("pack_b_s8", true),
    packBS16("pack_b_u8", false),
    packBtS16("pack_bt_s8", true),
    packBtS16("pack_bt_u8", false),
    packAF32("pack_a_f32"),
    packBF32("pack_b_f32"),
    packBtF32("pack_bt_f32"),
    requant("requant"),
    biasF32("bias_f32"),
    compactRows("compact_rows"),
    ")",
    "",
  ].join("\n");
}

/** Assembles both module variants with wabt (a devDependency: only the generator and its test load it). */
export async function assembleWasm(): Promise<{ plain: Uint8Array; shared: Uint8Array }> {
  const { default: wabtFactory } = await import("wabt");
  const wabt = await wabtFactory();
  const build = (shared: boolean): Uint8Array => {
    const features = { simd: true, threads: shared, bulk_memory: true };
    const module = wabt.parseWat(
      shared ? "kernels-shared.wat" : "kernels.wat",
      wasmText({ shared }),
      features,
    );
    try {
      module.resolveNames();
      // wabt.js's validate takes the features at run time (its typings omit the parameter): without
      // them the shared memory is refused.
      (module as unknown as { validate(f: typeof features): void }).validate(features);
      return new Uint8Array(module.toBinary({ log: false, write_debug_names: false }).buffer);
    } finally {
      module.destroy();
    }
  };
  return { plain: build(false), shared: build(true) };
}
