export type { Conv2dShapeOptions, Size2d } from "./_convShape";
export type { QuantizedLayerParams, Scales } from "./_quantizeLayer";
export {
  assertQuantizedConv2dLayer,
  assertQuantizedLinearLayer,
  checkMatmulF32Args,
  checkMatmulIntegerArgs,
  checkQuantizedConv2dArgs,
  checkQuantizedLinearArgs,
  checkRequantizeArgs,
  type MatmulF32Args,
  type MatmulIntegerArgs,
  type QuantizedConv2dArgs,
} from "./checkKernelArgs";
export { type Conv2dF32Options, conv2dF32 } from "./conv2dF32";
export {
  type CpuKernels,
  type CpuKernelsOptions,
  createCpuKernels,
  initWasmKernels,
} from "./createCpuKernels";
export { type Im2colArray, type Im2colOptions, im2col } from "./im2col";
export {
  supportsAsync,
  supportsAsyncLinearSequence,
  supportsLinearSequence,
  supportsPreparedLayers,
} from "./kernelExtensions";
export { layerChecksum } from "./layerChecksum";
export { layerMultipliers } from "./layerMultipliers";
export { matmulF32 } from "./matmulF32";
export { matmulInteger } from "./matmulInteger";
export { multiplyByQuantizedMultiplier } from "./multiplyByQuantizedMultiplier";
export { prepareQuantizedConv2d, type QuantizedConv2dParams } from "./prepareQuantizedConv2d";
export { prepareQuantizedLinear, type QuantizedLinearParams } from "./prepareQuantizedLinear";
export { quantizedConv2d } from "./quantizedConv2d";
export { quantizedLinear } from "./quantizedLinear";
export { type QuantizedMultiplier, quantizeMultiplier } from "./quantizeMultiplier";
export { requantize } from "./requantize";
export type {
  AsyncKernels,
  AsyncLinearSequenceKernels,
  Int8Like,
  Kernels,
  LinearSequenceKernels,
  MatmulF32Options,
  MatmulIntegerOptions,
  PreparedLayerKernels,
  PreparedLinearLayer,
  QuantizedConv2dLayer,
  QuantizedLinearLayer,
  RequantizeParams,
} from "./types";
