export { ConvReLU2d } from "./ConvReLU2d";
export { type CalibrateOptions, type CalibrateProgress, type CalibrateResult, calibrate } from "./calibrate";
export { type ConvertOptions, convert } from "./convert";
export {
  type ActivationPostProcess,
  type ConvertibleModule,
  isConvertibleModule,
  type ObservedRange,
} from "./convertible";
export { type CreateQConfigOptions, createQConfig } from "./createQConfig";
export { DeQuantStub } from "./DeQuantStub";
export { fakeQuantizedForward } from "./fakeQuantizedForward";
export { FusedModel, fuseModules } from "./fuseModules";
export type {
  ActivationQParams,
  IntegerConv2d,
  IntegerFlatten,
  IntegerLayer,
  IntegerLinear,
  IntegerMaxPool2d,
  IntegerReLU,
  WeightQuantization,
} from "./integerLayers";
export { LinearReLU } from "./LinearReLU";
export { loadQuantizedModel } from "./loadQuantizedModel";
export { ObservedConv2d } from "./ObservedConv2d";
export { ObservedLinear } from "./ObservedLinear";
export { ObserverModule } from "./ObserverModule";
export { PreparedModel } from "./PreparedModel";
export { parseQuantizedModel } from "./parseQuantizedModel";
export { prepare } from "./prepare";
export {
  defaultPerChannelQatQConfig,
  defaultPerChannelQConfig,
  defaultQatQConfig,
  defaultQConfig,
  fullRangeQConfig,
  QCONFIG_PRESETS,
} from "./presets";
export {
  type ForwardOptions,
  type LayerTrace,
  QuantizedModel,
  type QuantizedModelInit,
} from "./QuantizedModel";
export { QuantStub } from "./QuantStub";
export {
  assertQConfig,
  createObserverFrom,
  describeObserver,
  type ObserverFactory,
  type ObserverSpec,
  type QConfig,
} from "./qconfig";
export { formatQuantizationReport, type LayerReport, quantizationReport } from "./quantizationReport";
export {
  type QuantizeWeightsOnlyOptions,
  quantizeWeightsOnly,
  WEIGHT_ONLY_METHODS,
  type WeightOnlyLayerReport,
  type WeightOnlyMethod,
} from "./quantizeWeightsOnly";
export { saveQuantizedModel } from "./saveQuantizedModel";
export {
  QUANTIZED_MODEL_FORMAT,
  QUANTIZED_MODEL_FORMAT_VERSION,
  type QuantizedModelFileOptions,
  serializeQuantizedModel,
} from "./serializeQuantizedModel";
export { swapFusedLayers } from "./swapFusedLayers";
