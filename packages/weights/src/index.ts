export type { BlockOptions } from "./_blockOptions";
export { applyToLinear, type LinearLike, linearWeight } from "./applyToLinear";
export {
  type AttentionModuleOptions,
  type AwqModule,
  attentionModule,
  type ModuleWeight,
} from "./attentionModule";
export { type AwqOptions, type AwqResult, awq } from "./awq";
export {
  type AwqLayer,
  type AwqScaleOptions,
  type AwqScaleResult,
  type AwqScaleSearchOptions,
  awqScale,
} from "./awqScale";
export type { BlockBits, BlockQuantized, ScaleType, WeightBits, WeightLayout } from "./blockQuantized";
export { dequantizeBlockwise } from "./dequantizeBlockwise";
export { type GptqOptions, type GptqReport, gptq } from "./gptq";
export { HessianAccumulator } from "./HessianAccumulator";
export { type HqqOptions, type HqqResult, hqq } from "./hqq";
export { type Activation, type MlpModuleOptions, mlpModule } from "./mlpModule";
export { packBlockedDequantizeLinear } from "./packBlockedDequantizeLinear";
export { packGatherBlockQuantized } from "./packGatherBlockQuantized";
export { packMatMulNBits, type WeightTensor } from "./packMatMulNBits";
export { type QuantizeBlockwiseOptions, quantizeBlockwise } from "./quantizeBlockwise";
export { unpackMatMulNBits } from "./unpackMatMulNBits";
export { WEIGHT_ONLY_METHODS, type WeightOnlyMethod } from "./weightOnlyMethods";
