export { convert, type QuantizedModel } from "@quantkit/ptq";
export type { LabeledData } from "./_data";
export type { TimingStats } from "./_timing";
export { FakeQuantize } from "./FakeQuantize";
export { canRunFloatOnKernels, floatForwardOnKernels } from "./floatForwardOnKernels";
export { prepareQat } from "./prepareQat";
export { QatConv2d } from "./QatConv2d";
export { QatLinear } from "./QatLinear";
export {
  type ExperimentBackend,
  type ExperimentProgress,
  type ModelSummary,
  type PtqBestSummary,
  type QatSummary,
  type QuantizedSummary,
  runSeedExperiment,
  type SeedExperimentModels,
  type SeedExperimentOptions,
  type SeedExperimentSummary,
} from "./runSeedExperiment";
export { disableFakeQuant, disableObserver, enableFakeQuant, enableObserver } from "./switches";
export {
  type WeightOnlyRowsOptions,
  type WeightOnlySummary,
  weightOnlyRows,
} from "./weightOnlyRows";
