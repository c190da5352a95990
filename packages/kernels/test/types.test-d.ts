// Type tests, checked by `tsc -p packages/kernels`: what src/types.ts promises about the backend contract
// and its extensions, and that the package's own functions fit it.
import { expectTypeOf } from "vitest";
import {
  type AsyncKernels,
  type AsyncLinearSequenceKernels,
  type CpuKernels,
  createCpuKernels,
  type Int8Like,
  type Kernels,
  type LinearSequenceKernels,
  matmulF32,
  matmulInteger,
  type PreparedLayerKernels,
  type PreparedLinearLayer,
  prepareQuantizedConv2d,
  prepareQuantizedLinear,
  type QuantizedConv2dLayer,
  type QuantizedLinearLayer,
  quantizedConv2d,
  quantizedLinear,
  type RequantizeParams,
  requantize,
} from "../src/index";

// The extensions extend the contract; the async sequence extension has both parents.
expectTypeOf<PreparedLayerKernels>().toExtend<Kernels>();
expectTypeOf<LinearSequenceKernels>().toExtend<Kernels>();
expectTypeOf<AsyncKernels>().toExtend<Kernels>();
expectTypeOf<AsyncLinearSequenceKernels>().toExtend<LinearSequenceKernels>();
expectTypeOf<AsyncLinearSequenceKernels>().toExtend<AsyncKernels>();
expectTypeOf<Kernels>().not.toExtend<PreparedLayerKernels>();
expectTypeOf<Kernels>().not.toExtend<AsyncKernels>();

// A prepared layer goes wherever a layer goes, and says which backend holds it.
expectTypeOf<PreparedLinearLayer>().toExtend<QuantizedLinearLayer>();
expectTypeOf<PreparedLinearLayer["backend"]>().toEqualTypeOf<string>();
expectTypeOf<PreparedLayerKernels["prepareLinear"]>().returns.toEqualTypeOf<PreparedLinearLayer>();

// Integer-only data: int8/uint8 operands, int32 accumulators, bias, multipliers and shifts.
expectTypeOf<Int8Like>().toEqualTypeOf<Int8Array | Uint8Array>();
expectTypeOf<QuantizedLinearLayer["weight"]>().toEqualTypeOf<Int8Array>();
expectTypeOf<QuantizedLinearLayer["bias"]>().toEqualTypeOf<Int32Array>();
expectTypeOf<QuantizedConv2dLayer["multiplier"]>().toEqualTypeOf<Int32Array>();
expectTypeOf<QuantizedConv2dLayer["shift"]>().toEqualTypeOf<Int32Array>();
expectTypeOf<Kernels["matmulInteger"]>().returns.toEqualTypeOf<Int32Array>();
expectTypeOf<Kernels["quantizedLinear"]>().returns.toEqualTypeOf<Uint8Array>();
expectTypeOf<Kernels["requantize"]>().returns.toEqualTypeOf<Uint8Array | Int8Array>();
expectTypeOf<AsyncKernels["quantizedLinearAsync"]>().returns.toEqualTypeOf<Promise<Uint8Array>>();
expectTypeOf<RequantizeParams["channels"]>().toBeNumber();

// The package's functions are the contract's methods, and its builders make the contract's layers.
expectTypeOf(matmulInteger).toEqualTypeOf<Kernels["matmulInteger"]>();
expectTypeOf(matmulF32).toEqualTypeOf<Kernels["matmulF32"]>();
expectTypeOf(quantizedLinear).toEqualTypeOf<Kernels["quantizedLinear"]>();
expectTypeOf(quantizedConv2d).toEqualTypeOf<Kernels["quantizedConv2d"]>();
expectTypeOf(requantize).toEqualTypeOf<Kernels["requantize"]>();
expectTypeOf(prepareQuantizedLinear).returns.toExtend<QuantizedLinearLayer>();
expectTypeOf(prepareQuantizedConv2d).returns.toExtend<QuantizedConv2dLayer>();

// The CPU kernels implement the contract and none of the extensions.
expectTypeOf(createCpuKernels).returns.toEqualTypeOf<CpuKernels>();
expectTypeOf<CpuKernels>().toExtend<Kernels>();
expectTypeOf<CpuKernels>().not.toExtend<PreparedLayerKernels>();
expectTypeOf<CpuKernels>().not.toExtend<LinearSequenceKernels>();
expectTypeOf<CpuKernels>().not.toExtend<AsyncKernels>();
expectTypeOf<CpuKernels["backend"]>().toEqualTypeOf<"js" | "wasm-simd">();
