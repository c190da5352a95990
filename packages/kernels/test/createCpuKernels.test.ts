import { describe, expect, it } from "vitest";
import { _WasmRuntime } from "../src/_wasmRuntime";
import { createCpuKernels, initWasmKernels, type Kernels } from "../src/index";

describe("createCpuKernels", () => {
  it("names what runs: wasm-simd by default on Node 20, js when asked", () => {
    const cpu = createCpuKernels();
    expect(cpu.backend).toBe("wasm-simd");
    expect(cpu.threads).toBe(1);
    expect(createCpuKernels({ simd: false }).backend).toBe("js");
    const contract: Kernels = cpu; // the CPU kernels satisfy the backend contract
    expect(
      Array.from(
        contract.matmulInteger(new Uint8Array([1, 2, 3, 4]), new Int8Array([1, 0, 0, 1]), {
          m: 2,
          k: 2,
          n: 2,
        }),
      ),
    ).toEqual([1, 2, 3, 4]);
  });

  it("runs worker threads when asked (shared memory), falls back to one thread without SIMD, and disposes", async () => {
    const threaded = createCpuKernels({ threads: 2 });
    expect(threaded.backend).toBe("wasm-simd");
    expect(threaded.threads).toBe(2);
    const a = new Uint8Array(64 * 300).map((_, i) => (i * 7) & 255);
    const b = new Int8Array(300 * 120).map((_, i) => (i * 13) & 255);
    const options = { m: 64, k: 300, n: 120, aZeroPoint: 3 };
    const single = createCpuKernels().matmulInteger(a, b, options);
    expect(threaded.matmulInteger(a, b, options)).toEqual(single);
    await threaded.dispose();
    expect(threaded.matmulInteger(a, b, options)).toEqual(single); // after dispose: the calling thread alone
    expect(createCpuKernels({ simd: false, threads: 2 }).threads).toBe(1);
  });

  it("initWasmKernels resolves to true where WebAssembly SIMD runs", async () => {
    await expect(initWasmKernels()).resolves.toBe(true);
  });

  it("rejects bad options, naming them", () => {
    expect(() => createCpuKernels({ threads: 0 })).toThrow(/threads must be an integer in \[1, 256\], got 0/);
    expect(() => createCpuKernels({ threads: 1.5 })).toThrow(RangeError);
    expect(() => createCpuKernels({ simd: "yes" as never })).toThrow(/simd must be a boolean/);
    expect(() => createCpuKernels(null as never)).toThrow(TypeError);
  });
});

describe("the WebAssembly runtime's resident blocks", () => {
  it("copies a layer's packed arrays once, reuses them by key, and gives freed space back", () => {
    const rt = _WasmRuntime.create()!;
    const k1 = {};
    const k2 = {};
    const p1 = rt.resident(k1, [new Int16Array([1, 2, 3]), new Int32Array([7])]);
    expect(rt.resident(k1, [new Int16Array([9])])).toBe(p1); // cached by key: no second copy
    expect(Array.from(rt.i16.subarray(p1[0]! >> 1, (p1[0]! >> 1) + 3))).toEqual([1, 2, 3]);
    expect(rt.i32[p1[1]! >> 2]).toBe(7);
    const p2 = rt.resident(k2, [new Uint8Array(1000)]);
    expect(p2[0]).toBeGreaterThan(p1[1]!);
    const scratch = rt.arena().end;
    expect(scratch).toBeGreaterThan(p2[0]! + 1000);
    // What the FinalizationRegistry does when a layer is collected: the top block returns to scratch.
    const release = (rt as unknown as { release(ptr: number, size: number): void }).release.bind(rt);
    release(p2[0]!, scratch - p2[0]!);
    expect(rt.arena().end).toBe(p2[0]);
  });

  it("grows its memory past the initial pages and refreshes its views", () => {
    const rt = _WasmRuntime.create()!;
    const before = rt.memory.buffer.byteLength;
    rt.ensure(before + 5_000_000);
    expect(rt.memory.buffer.byteLength).toBeGreaterThanOrEqual(before + 5_000_000);
    expect(rt.u8.buffer).toBe(rt.memory.buffer);
  });
});
