/**
 * What the worker keeps between jobs: the bundled MNIST digits (normalized as the deck's notebook
 * does, mean 0.1307 and std 0.3081) and the models trained or converted so far, so that sections 6,
 * 8, 9 and 10 share one trained MLP.
 */
import type { Dataset } from "@quantkit/datasets";
import type { Module } from "@quantkit/nn";

export interface Mnist {
  train: Dataset;
  test: Dataset;
}

/** A trained float model and how it was trained. */
export interface TrainedFp32 {
  model: Module;
  accuracy: number;
  trainSize: number;
  epochs: number;
  seed: number;
  /** Counts the float models this worker has held: 1 for the first, 2 for the next… */
  version: number;
}

/** The models the page has made so far. Later jobs (PTQ, QAT, draw a digit) read them. */
export const store: {
  fp32?: TrainedFp32;
  /** Other models by name (the PTQ and QAT results), kept as the jobs that make them define. */
  extra: Map<string, unknown>;
  /** Test accuracy of each model in `extra`, by the same name. */
  accuracy: Map<string, number>;
  /** The version of the float model each model in `extra` was made from (null: made without it). */
  madeFrom: Map<string, number | null>;
} = { extra: new Map(), accuracy: new Map(), madeFrom: new Map() };

let versions = 0;

/** Makes `model` the worker's float model, with the next version number; returns that number. */
export function setFp32(model: Omit<TrainedFp32, "version">): number {
  versions++;
  store.fp32 = { ...model, version: versions };
  return versions;
}

/** Keeps a model made from the float model (or from nothing, `madeFrom` null) under `key`. */
export function keepDerived(key: string, model: unknown, accuracy: number, madeFrom: number | null): void {
  store.extra.set(key, model);
  store.accuracy.set(key, accuracy);
  store.madeFrom.set(key, madeFrom);
}

let mnist: Promise<Mnist> | undefined;

/** The bundled MNIST split (7,996 train / 2,004 test), normalized; loaded once. */
export function loadMnist(): Promise<Mnist> {
  mnist ??= (async () => {
    const { loadBundledMnist, normalize } = await import("@quantkit/datasets");
    const { train, test } = await loadBundledMnist();
    return { train: normalize(train), test: normalize(test) };
  })();
  mnist.catch(() => {
    mnist = undefined;
  });
  return mnist;
}
