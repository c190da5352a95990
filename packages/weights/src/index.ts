export type { BlockOptions } from "./_blockOptions";
export type { BlockQuantized, ScaleType, WeightBits, WeightLayout } from "./blockQuantized";
export { dequantizeBlockwise } from "./dequantizeBlockwise";
export { type GptqOptions, type GptqReport, gptq } from "./gptq";
export { HessianAccumulator } from "./HessianAccumulator";
export { packBlockedDequantizeLinear } from "./packBlockedDequantizeLinear";
export { packMatMulNBits, type WeightTensor } from "./packMatMulNBits";
export { quantizeBlockwise } from "./quantizeBlockwise";
export { unpackMatMulNBits } from "./unpackMatMulNBits";
