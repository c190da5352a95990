export {
  type AttributeProto,
  AttributeProto_AttributeType as AttributeType,
  AttributeProtoSchema,
  type FunctionProto,
  FunctionProtoSchema,
  type GraphProto,
  GraphProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type OperatorSetIdProto,
  OperatorSetIdProtoSchema,
  type SparseTensorProto,
  type StringStringEntryProto,
  StringStringEntryProtoSchema,
  type TensorProto,
  TensorProto_DataLocation as DataLocation,
  TensorProtoSchema,
  type TensorShapeProto,
  type TypeProto,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from "./_gen/onnx_pb";
export type { TensorArray } from "./_storage";
export { allNodes, type NodeEntry } from "./allNodes";
export { type AttributeValue, getAttribute, makeAttribute, setAttribute } from "./attribute";
export {
  CALIBRATION_METHODS,
  type CalibrateOptions,
  type CalibrationMethod,
  type CalibrationResult,
  calibrate,
  type TensorRange,
} from "./calibrate";
export { type CollectMatMulInputsOptions, collectMatMulInputs } from "./collectMatMulInputs";
export { constantTensor } from "./constantTensor";
export { consumers } from "./consumers";
export {
  convertFloatToFloat16,
  type Float16Options,
  type Float16Report,
  type Float16ValueReport,
} from "./convertFloatToFloat16";
export { createNameScope, type NameScope } from "./createNameScope";
export { DataType, dataTypeBits, dataTypeName, minIrVersionForDataType } from "./dataType";
export { insertNodes, redirectConsumers, removeNode, replaceNode } from "./editNodes";
export { type EvaluateQuantizationOptions, evaluateQuantization } from "./evaluateQuantization";
export {
  type ExternalDataInfo,
  type ExternalDataResolver,
  type ExternalizeOptions,
  externalDataInfo,
  externalizeData,
  loadExternalData,
} from "./externalData";
export { FLOAT16_OP_BLOCK_LIST } from "./float16OpBlockList";
export { type FromArrayOptions, fromArray } from "./fromArray";
export { type GraphEntry, graphs } from "./graphs";
export type {
  EngineFeeds,
  EngineTensor,
  InferenceEngine,
  InferenceSession,
  SessionHints,
} from "./InferenceEngine";
export { getInitializer, removeInitializer, setInitializer } from "./initializer";
export { type DataTypeStats, inspect, type ModelReport } from "./inspect";
export { INT8_DEFAULT_OP_TYPES, INT8_OP_TYPES } from "./int8OpTypes";
export { ensureIrVersion, IR_VERSION, irVersionForOpset } from "./irVersion";
export { type MakeGraphParts, type MakeModelOptions, makeGraph, makeModel, makeOpsetId } from "./makeModel";
export { type MakeNodeOptions, makeNode } from "./makeNode";
export { makeTensor } from "./makeTensor";
export { opsetVersion, setOpsetVersion } from "./opsetVersion";
export { type OrtEngineOptions, type OrtNamespace, type OrtSession, ortEngine } from "./ortEngine";
export { producers } from "./producers";
export type { NodeReport, QuantizationReport } from "./quantizationReport";
export { type QuantizeDynamicOptions, type QuantizeResult, quantizeDynamic } from "./quantizeDynamic";
export { quantizeMatMulNBits } from "./quantizeMatMulNBits";
export {
  type QuantizeMatMulNBitsOptions,
  WEIGHT_ONLY_METHODS,
  WEIGHT_ONLY_OP_TYPES,
  type WeightOnlyMethod,
  type WeightOnlyOpType,
} from "./quantizeMatMulNBitsOptions";
export { quantizeStatic } from "./quantizeStatic";
export type { QuantizeStaticOptions } from "./quantizeStaticOptions";
export { type ReadModelOptions, readModel } from "./readModel";
export {
  type NodeSensitivity,
  type SensitivityOptions,
  type SensitivityResult,
  sensitivity,
} from "./sensitivity";
export { toArray, toStrings } from "./toArray";
export { toFloat32Array } from "./toFloat32Array";
export { topologicalSort } from "./topologicalSort";
export { fromTensor, toTensor } from "./toTensor";
export { upgradeOpset } from "./upgradeOpset";
export { type Dim, makeValueInfo, setValueType, type ValueType, valueType } from "./valueInfo";
export { setWeight, type WeightEntry, weights } from "./weights";
export { writeModel } from "./writeModel";
