export type { RoundingOptions } from "./_engine";
export { allocateCodes, type CodesOf, type QuantizedArray } from "./allocateCodes";
export { calculateGroupQParams, type GroupQParamsOptions } from "./calculateGroupQParams";
export { dequantize } from "./dequantize";
export {
  assertDType,
  calculateQRange,
  DTYPES,
  type DType,
  dtypeForBits,
  type QRange,
  rangeForBits,
  validateQRange,
} from "./dtype";
export { type FakeQuantizeOptions, fakeQuantize } from "./fakeQuantize";
export { fakeQuantizeBackward } from "./fakeQuantizeBackward";
export { fakeQuantizePerChannelAffine } from "./fakeQuantizePerChannelAffine";
export { fakeQuantizePerTensorAffine } from "./fakeQuantizePerTensorAffine";
export { type FakeQuantizeWithMaskOptions, fakeQuantizeWithMask } from "./fakeQuantizeWithMask";
export { type Granularity, granularityOf } from "./granularityOf";
export { groupMinMax } from "./groupMinMax";
export { maxAbsError } from "./maxAbsError";
export { mse } from "./mse";
export { packInt2, unpackInt2 } from "./packInt2";
export { packInt4, unpackInt4 } from "./packInt4";
export { calculateQParams, FLOAT32_EPS, type QParams, type QParamsOptions } from "./qparams";
export { assertQScheme, isPerChannel, isSymmetric, QSCHEMES, type QScheme } from "./qscheme";
export { type QuantizeOptions, quantize } from "./quantize";
export { quantizePerChannel } from "./quantizePerChannel";
export { quantizePerTensor } from "./quantizePerTensor";
export {
  assertRoundingMode,
  ROUNDING_MODES,
  type RoundingMode,
  roundHalfAwayFromZero,
  roundHalfToEven,
  roundStochastic,
} from "./rounding";
export { sqnr } from "./sqnr";
export { steMask } from "./steMask";
export { validateQParams } from "./validateQParams";
