/** Row operations of the WebAssembly module on C: an f32 bias added, rows moved together. */

/**
 * Adds an f32 bias to C [M, n4] (row stride ldc bytes, n4 a multiple of 4): per column (byRow = 0,
 * bias padded to n4) or per row (byRow = 1). fround(acc + bias), the JS path's order too.
 */
export function biasF32(name: string): string {
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
export function compactRows(name: string): string {
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
