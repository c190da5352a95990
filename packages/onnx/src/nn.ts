// The bridge to @quantkit/nn and @quantkit/ptq ("@quantkit/onnx/nn"): the only entry of this package that
// imports them (peer dependencies), so the core entry stays free of both.
export { type ExportQuantizedModelOptions, exportQuantizedModel } from "./exportQuantizedModel";
export { type ImportSequentialOptions, importSequential } from "./importSequential";
