/** The requantization of the WebAssembly module: int32 accumulators to int8/uint8 codes, vector and scalar. */

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
export function requant(name: string): string {
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
