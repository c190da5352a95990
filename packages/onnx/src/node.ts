export { type ReadModelFileOptions, readModelFile } from "./readModelFile";
export { type WriteModelFileOptions, writeModelFile } from "./writeModelFile";
