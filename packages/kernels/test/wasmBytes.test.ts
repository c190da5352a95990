import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderWasmBytesModule } from "../scripts/renderWasmBytes";
import { assembleWasm, wasmText } from "../scripts/wasmText";
import { _WASM_PLAIN_BASE64, _WASM_SHARED_BASE64 } from "../src/_wasmBytes";

describe("the committed WebAssembly bytes", () => {
  it("equal a fresh assembly of scripts/wasmText.ts (run `pnpm --filter @quantkit/kernels gen:wasm` after editing it)", async () => {
    const { plain, shared } = await assembleWasm();
    expect(Buffer.from(plain).toString("base64")).toBe(_WASM_PLAIN_BASE64);
    expect(Buffer.from(shared).toString("base64")).toBe(_WASM_SHARED_BASE64);
    const committed = readFileSync(fileURLToPath(new URL("../src/_wasmBytes.ts", import.meta.url)), "utf8");
    expect(committed).toBe(renderWasmBytesModule(plain, shared));
  });

  it("hold SIMD code without relaxed SIMD (Node 20 runs it unflagged)", () => {
    const text = wasmText({ shared: false });
    expect(text).toContain("i32x4.dot_i16x8_s");
    expect(text).toContain("f32x4.mul");
    expect(text).not.toMatch(/relaxed/);
    expect(WebAssembly.validate(Buffer.from(_WASM_PLAIN_BASE64, "base64"))).toBe(true);
  });

  it("declare a plain memory in one variant and a shared one in the other", () => {
    expect(wasmText({ shared: false })).toMatch(/\(memory \(import "env" "memory"\) 1 65536\)/);
    expect(wasmText({ shared: true })).toMatch(/\(memory \(import "env" "memory"\) 1 65536 shared\)/);
  });
});
