// Type tests, checked by `tsc -p packages/kernels-gpu`: the relations between the GPU kernels and
// @quantkit/kernels' contract, so that ptq and the apps need no casts.
import type {
  AsyncKernels,
  AsyncLinearSequenceKernels,
  RequantizeParams as ContractRequantizeParams,
  CpuKernels,
  Kernels,
  LinearSequenceKernels,
  PreparedLayerKernels,
  PreparedLinearLayer,
  QuantizedLinearLayer,
} from "@quantkit/kernels";
import { expectTypeOf } from "vitest";
import type { GpuKernels, GpuLinearLayer, RequantizeParams } from "../src/index";

// GpuKernels implements the contract and every extension of it.
expectTypeOf<GpuKernels>().toExtend<Kernels>();
expectTypeOf<GpuKernels>().toExtend<PreparedLayerKernels>();
expectTypeOf<GpuKernels>().toExtend<LinearSequenceKernels>();
expectTypeOf<GpuKernels>().toExtend<AsyncKernels>();
expectTypeOf<GpuKernels>().toExtend<AsyncLinearSequenceKernels>();

// A prepared layer is a layer: it goes wherever a QuantizedLinearLayer goes.
expectTypeOf<GpuLinearLayer>().toExtend<PreparedLinearLayer>();
expectTypeOf<GpuLinearLayer>().toExtend<QuantizedLinearLayer>();
expectTypeOf<ReturnType<GpuKernels["prepareLinear"]>>().toEqualTypeOf<GpuLinearLayer>();

// One RequantizeParams: the contract's.
expectTypeOf<RequantizeParams>().toEqualTypeOf<ContractRequantizeParams>();

// The CPU kernels have the contract, not the extensions.
expectTypeOf<CpuKernels>().toExtend<Kernels>();
expectTypeOf<CpuKernels>().not.toExtend<PreparedLayerKernels>();
expectTypeOf<CpuKernels>().not.toExtend<AsyncKernels>();
