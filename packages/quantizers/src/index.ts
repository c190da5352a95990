export { assertDType, calculateQRange, type DType, DTYPES, dtypeForBits, type QRange, rangeForBits, validateQRange } from "./dtype";
export { assertQScheme, isPerChannel, isSymmetric, type QScheme, QSCHEMES } from "./qscheme";
export { type RoundingMode, roundHalfAwayFromZero, roundHalfToEven } from "./rounding";
export { calculateQParams, FLOAT32_EPS, type QParams, type QParamsOptions } from "./qparams";
