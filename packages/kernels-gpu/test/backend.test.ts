import { describe, expect, it } from "vitest";
import { _gpujs } from "../src/_gpujs";
import { _backendOfKernel, _backendOfKernelClass } from "../src/backend";
import { availableGpuBackends, GPU_BACKENDS, isGpuBackendSupported } from "../src/index";

describe("backend selection (Node under xvfb-run)", () => {
  it("lists what gpu.js can run here: headlessgl, webasm and cpu, no browser backends", () => {
    expect(availableGpuBackends()).toEqual(["headlessgl", "webasm", "cpu"]);
    expect(isGpuBackendSupported("webgl2")).toBe(false);
  });

  it("rejects an unknown backend name with a TypeError", () => {
    expect(() => isGpuBackendSupported("metal" as never)).toThrow(TypeError);
  });
});

describe("backend names", () => {
  it("GPU_BACKENDS lists gpu.js's six backends best first; availableGpuBackends keeps that order and always has cpu", () => {
    expect(GPU_BACKENDS).toEqual(["headlessgl", "webgl2", "webgl", "webgpu", "webasm", "cpu"]);
    const available = availableGpuBackends();
    expect(available).toEqual(GPU_BACKENDS.filter((b) => isGpuBackendSupported(b)));
    expect(available.at(-1)).toBe("cpu");
    expect(isGpuBackendSupported("cpu")).toBe(true);
    // Node has WebAssembly and no browser context, display or not
    expect(isGpuBackendSupported("webasm")).toBe(true);
    expect(["webgl2", "webgl", "webgpu"].map((b) => isGpuBackendSupported(b as never))).toEqual([
      false,
      false,
      false,
    ]);
    expect(() => isGpuBackendSupported("metal" as never)).toThrow(
      'backend must be one of headlessgl, webgl2, webgl, webgpu, webasm, cpu; got "metal"',
    );
  });

  it("names gpu.js's kernel classes and instances, a subclass before its parent (headlessgl is a webgl kernel)", async () => {
    const classes = [
      [_gpujs.HeadlessGLKernel, "headlessgl"],
      [_gpujs.WebGL2Kernel, "webgl2"],
      [_gpujs.WebGLKernel, "webgl"],
      [_gpujs.WebGPUKernel, "webgpu"],
      [_gpujs.WebAssemblyKernel, "webasm"],
      [_gpujs.CPUKernel, "cpu"],
    ] as const;
    expect(classes.map(([c]) => _backendOfKernelClass(c))).toEqual(classes.map(([, name]) => name));
    expect(_backendOfKernelClass(Object)).toBeNull();
    expect(Object.getPrototypeOf(_gpujs.HeadlessGLKernel)).toBe(_gpujs.WebGLKernel);
    const gpu = new _gpujs.GPU({ mode: "cpu" });
    const run = gpu.createKernel("function () { return 1; }", {
      output: [1],
      pipeline: false,
      immutable: false,
      precision: "single",
      tactic: "precision",
      loopMaxIterations: 1,
    });
    expect(Array.from(run() as Float32Array)).toEqual([1]);
    expect(_backendOfKernel(run.kernel)).toBe("cpu");
    expect(_backendOfKernel({})).toBeNull();
    await gpu.destroy();
  });
});
