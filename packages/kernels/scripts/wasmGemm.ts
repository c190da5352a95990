/** The GEMM micro-kernel of the WebAssembly module, int16 pairs or f32 (layouts: wasmText.ts). */

import { MR, NR, NV } from "./_wasmTile";

/**
 * The micro-kernel driver: for each of `nPanels` B panels and `mPanels` A panels, a 4 x 8 tile of C
 * accumulated over `steps` steps (k-pairs for int16, k for f32) in registers, then stored (or added to
 * what C holds when `accum` is 1). 4 x 8 with no manual unrolling measured fastest of 4x8, 5x8, 6x8,
 * 3x12, 4x12, 2x16, 3x16 (each with and without 2x unrolling) for both kinds on Node 20's TurboFan:
 * 8 accumulators + 2 B vectors + 1 broadcast stay in the 16 xmm registers without spills.
 */
export function gemm(name: string, kind: "s16" | "f32"): string {
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
