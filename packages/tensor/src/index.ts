export { assertConvGroups } from "./assertConvGroups";
export { assertOptions } from "./assertOptions";
export { convOutputSize, poolOutputSize, type WindowOptions } from "./outputSize";
export { pair2d, type Size2d } from "./pair2d";
export { readRegularFile } from "./readRegularFile";
export { Rng } from "./rng";
export { assertShape, normalizeAxis, type Shape, sizeOf, splitAtAxis, stridesOf } from "./shape";
export { assertFinite, type Tensor, type TypedArray, tensor } from "./tensor";
export { transpose2d } from "./transpose2d";
