import { describe, expect, it } from "vitest";
import {
  createCpuKernels,
  type Kernels,
  supportsAsync,
  supportsAsyncLinearSequence,
  supportsLinearSequence,
  supportsPreparedLayers,
} from "../src/index";

describe("the contract's extensions", () => {
  const cpu = createCpuKernels();
  const twin = async () => new Uint8Array(0);
  /** A backend with every extension (what @quantkit/kernels-gpu has), made of the CPU's methods. */
  const extended = {
    ...cpu,
    prepareLinear: (l: unknown) => l,
    quantizedLinearSequence: () => new Uint8Array(0),
    quantizedLinearSequenceAsync: twin,
    matmulIntegerAsync: twin,
    matmulF32Async: twin,
    quantizedLinearAsync: twin,
    quantizedConv2dAsync: twin,
    requantizeAsync: twin,
  } as unknown as Kernels;

  it("the CPU kernels have none of them", () => {
    expect([
      supportsPreparedLayers(cpu),
      supportsLinearSequence(cpu),
      supportsAsync(cpu),
      supportsAsyncLinearSequence(cpu),
    ]).toEqual([false, false, false, false]);
  });

  it("a backend with the methods has each, and async needs every twin", () => {
    expect([
      supportsPreparedLayers(extended),
      supportsLinearSequence(extended),
      supportsAsync(extended),
      supportsAsyncLinearSequence(extended),
    ]).toEqual([true, true, true, true]);
    const missingOne = { ...extended, requantizeAsync: undefined } as unknown as Kernels;
    expect([supportsAsync(missingOne), supportsAsyncLinearSequence(missingOne)]).toEqual([false, false]);
  });
});
