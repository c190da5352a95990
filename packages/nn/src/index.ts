export { Adam, type AdamOptions } from "./adam";
export type { Batch } from "./batch";
export { BatchNorm2d, type BatchNorm2dOptions } from "./batchNorm2d";
export { Conv2d, type Conv2dOptions, type Size2 } from "./conv2d";
export { type Conv2dGeometry, conv2dBackward, conv2dForward, conv2dOutputSize } from "./conv2dOps";
export { type CreateMlpOptions, createMlp } from "./createMlp";
export { CrossEntropyLoss, type CrossEntropyLossOptions } from "./crossEntropyLoss";
export { accuracy, argmax, type Evaluation, evaluate, predict } from "./evaluate";
export {
  type EpochSummary,
  type FitBatches,
  type FitOptions,
  type FitProgress,
  type FitResult,
  fit,
} from "./fit";
export { Flatten } from "./flatten";
export { foldBatchNorm } from "./foldBatchNorm";
export { Identity } from "./identity";
export { type InitOptions, kaimingUniform, resetLinearLike } from "./init";
export { Linear, type LinearOptions } from "./linear";
export { linearBackward, linearForward } from "./linearOps";
export { MaxPool2d, type MaxPool2dOptions } from "./maxPool2d";
export { type MaxPool2dWindow, maxPool2dIndices } from "./maxPool2dIndices";
export { type ForwardHook, type ForwardPreHook, type HookHandle, Module } from "./module";
export type { Optimizer } from "./optimizer";
export { createParameter, type NamedBuffer, type Parameter } from "./parameter";
export { parseSafetensors } from "./parseSafetensors";
export { ReLU } from "./relu";
export {
  type ParseSafetensorsOptions,
  SAFETENSORS_DTYPE_SIZES,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsArrays,
  type SafetensorsDtype,
  type SafetensorsFile,
  type SafetensorsInput,
  type SafetensorsTensor,
  type SerializeSafetensorsOptions,
} from "./safetensors";
export { loadSafetensors, saveSafetensors } from "./safetensorsFile";
export { Sequential, type SequentialChildren, sequentialLeaves } from "./sequential";
export { serializeSafetensors } from "./serializeSafetensors";
export { SGD, type SGDOptions } from "./sgd";
export { softmax } from "./softmax";
export { type LoadStateDictOptions, type LoadStateDictResult, loadStateDict, stateDict } from "./stateDict";
