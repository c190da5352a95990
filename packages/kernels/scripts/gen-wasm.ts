/**
 * Regenerates src/_wasmBytes.ts from scripts/wasmText.ts (`pnpm --filter @quantkit/kernels gen:wasm`).
 * The bytes are committed, so that building or using the package never needs wabt.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderWasmBytesModule } from "./renderWasmBytes";
import { assembleWasm } from "./wasmText";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "_wasmBytes.ts");
const { plain, shared } = await assembleWasm();
writeFileSync(target, renderWasmBytesModule(plain, shared));
console.log(`wrote ${target}: ${plain.length} bytes (plain memory), ${shared.length} bytes (shared memory)`);
