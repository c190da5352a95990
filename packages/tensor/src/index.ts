export { assertOptions } from "./assertOptions";
export { Rng } from "./rng";
export { assertShape, normalizeAxis, type Shape, sizeOf, splitAtAxis, stridesOf } from "./shape";
export { assertFinite, type Tensor, type TypedArray, tensor } from "./tensor";
