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
import { gemm } from "./wasmGemm";
import { packAF32, packBF32, packBtF32 } from "./wasmPackF32";
import { packAS16, packBS16, packBtS16 } from "./wasmPackS16";
import { requant } from "./wasmRequant";
import { biasF32, compactRows } from "./wasmRowOps";

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
