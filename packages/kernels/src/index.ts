export type { Size2d } from "./_convShape";
export type { Scales } from "./_quantizeLayer";
export { type Conv2dF32Options, conv2dF32 } from "./conv2dF32";
export {
  type CpuKernels,
  type CpuKernelsOptions,
  createCpuKernels,
  initWasmKernels,
} from "./createCpuKernels";
export { type Im2colArray, type Im2colOptions, im2col } from "./im2col";
export { layerChecksum } from "./layerChecksum";
export { matmulF32 } from "./matmulF32";
export { matmulInteger } from "./matmulInteger";
export { multiplyByQuantizedMultiplier } from "./multiplyByQuantizedMultiplier";
export { prepareQuantizedConv2d, type QuantizedConv2dParams } from "./prepareQuantizedConv2d";
export { prepareQuantizedLinear, type QuantizedLinearParams } from "./prepareQuantizedLinear";
export { quantizedConv2d } from "./quantizedConv2d";
export { quantizedLinear } from "./quantizedLinear";
export { type QuantizedMultiplier, quantizeMultiplier } from "./quantizeMultiplier";
export { type RequantizeParams, requantize } from "./requantize";
export type {
  Int8Like,
  Kernels,
  MatmulF32Options,
  MatmulIntegerOptions,
  QuantizedConv2dLayer,
  QuantizedLinearLayer,
} from "./types";
