// The float model of a fixture beside its fp16 conversion, both loaded in onnxruntime-node, for the fp16 tests.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { convertFloatToFloat16, readModel, writeModel } from "../src/index";
import { MODELS, type ModelName } from "./_fixtures";

/** Sessions of the float model and of its fp16 conversion, the size ratio, the report and the model. */
export async function float16Sessions(name: ModelName) {
  const bytes = new Uint8Array(readFileSync(MODELS[name]));
  const { model, report } = convertFloatToFloat16(readModel(bytes, { name }));
  const half = writeModel(model);
  return {
    float: await ort.InferenceSession.create(bytes),
    half: await ort.InferenceSession.create(half),
    ratio: half.length / bytes.length,
    report,
    model,
  };
}

/** Index of the largest of a[offset .. offset + n). */
export const argmax = (a: Float32Array, offset: number, n: number) => {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[offset + i]! > a[offset + best]!) best = i;
  return best;
};
