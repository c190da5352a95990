/**
 * Section 6's data: the weights of one Linear layer of the trained MLP (training one first, with
 * progress, when no section has yet).
 */
import type { JobContext } from "./dispatcher";
import { store } from "./modelStore";
import { type TrainProgress, trainMlp } from "./training";

export type LayerName = "fc1" | "fc2" | "fc3";

export interface LayerWeightsInput {
  layer: LayerName;
  /** How to train a model when none exists yet. */
  train: { trainSize: number; epochs: number };
}

export interface LayerWeightsOutput {
  layer: LayerName;
  /** A copy of the weight, [outFeatures, inFeatures] row-major (a Linear layer's layout). */
  weight: Float32Array;
  shape: [number, number];
  model: { accuracy: number; trainSize: number; epochs: number; version: number };
}

export async function layerWeights(
  input: LayerWeightsInput,
  ctx: JobContext<TrainProgress>,
): Promise<LayerWeightsOutput> {
  if (!["fc1", "fc2", "fc3"].includes(input.layer)) {
    throw new TypeError(`layer must be fc1, fc2 or fc3, got ${JSON.stringify(input.layer)}`);
  }
  if (!store.fp32) await trainMlp({ trainSize: input.train.trainSize, epochs: input.train.epochs }, ctx);
  const trained = store.fp32!;
  const { stateDict } = await import("@quantkit/nn");
  const t = stateDict(trained.model)[`${input.layer}.weight`];
  if (!t || !(t.data instanceof Float32Array) || t.shape.length !== 2) {
    throw new Error(`the model has no 2-D float weight ${input.layer}.weight`);
  }
  return {
    layer: input.layer,
    weight: t.data.slice(),
    shape: [t.shape[0]!, t.shape[1]!],
    model: {
      accuracy: trained.accuracy,
      trainSize: trained.trainSize,
      epochs: trained.epochs,
      version: trained.version,
    },
  };
}
