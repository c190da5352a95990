/**
 * Training the deck's MLP (784-100-100-10, ReLU; Adam, lr 1e-3, batch 10, as the notebook) on the
 * bundled MNIST digits with @quantkit/nn, in the worker, with progress and a loss curve.
 */

import { LossCurve, type LossPoint } from "../lib/lossCurve";
import { MLP_LAYERS } from "../lib/modelSize";
import type { JobContext } from "./dispatcher";
import { loadMnist, store } from "./modelStore";
import { CancelledError } from "./protocol";

export interface TrainInput {
  /** Training images to use (a seeded random subset); 0 for all 7,996. */
  trainSize: number;
  epochs: number;
  seed?: number;
  lr?: number;
  batchSize?: number;
}

export interface TrainProgress {
  phase: "loading" | "training" | "evaluating";
  step: number;
  totalSteps: number;
  epoch: number;
  /** Mean loss over the last reported stretch of steps. */
  loss: number | null;
  curve: LossPoint[];
}

export interface TrainOutput {
  accuracy: number;
  testCount: number;
  trainSize: number;
  epochs: number;
  curve: LossPoint[];
  ms: number;
  parameters: number;
}

const PROGRESS_EVERY_MS = 120;

/** Trains a fresh MLP and keeps it as the worker's float model. */
export async function trainMlp(input: TrainInput, ctx: JobContext<TrainProgress>): Promise<TrainOutput> {
  const { epochs, seed = 0, lr = 1e-3, batchSize = 10 } = input;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 20)
    throw new RangeError(`epochs must be an integer in 1..20, got ${epochs}`);
  ctx.progress({ phase: "loading", step: 0, totalSteps: 0, epoch: 0, loss: null, curve: [] });
  const [{ train, test }, nn, ds] = await Promise.all([
    loadMnist(),
    import("@quantkit/nn"),
    import("@quantkit/datasets"),
  ]);
  const trainSize = input.trainSize === 0 ? train.count : input.trainSize;
  if (!Number.isInteger(trainSize) || trainSize < 10 || trainSize > train.count) {
    throw new RangeError(
      `trainSize must be 0 (all) or an integer in 10..${train.count}, got ${input.trainSize}`,
    );
  }
  // The split is ordered by digit: shuffle before taking a subset, or it would hold only 0s and 1s.
  const subset =
    trainSize === train.count ? train : ds.sliceDataset(ds.shuffleDataset(train, seed), 0, trainSize);
  const model = nn.createMlp(MLP_LAYERS, { seed });
  const stepsPerEpoch = Math.ceil(subset.count / batchSize);
  const totalSteps = stepsPerEpoch * epochs;
  const curve = new LossCurve(240);
  let last = performance.now();
  let windowSum = 0;
  let windowCount = 0;
  const t0 = performance.now();
  const result = await nn.fit(
    model,
    (epoch) => ds.batches(subset, { batchSize, shuffle: true, seed: seed + epoch }),
    {
      optimizer: new nn.Adam(model.parameters(), { lr }),
      epochs,
      signal: ctx.signal,
      yieldEveryMs: 40,
      onBatch: (p) => {
        curve.add(p.loss);
        windowSum += p.loss;
        windowCount++;
        const now = performance.now();
        if (now - last >= PROGRESS_EVERY_MS) {
          last = now;
          ctx.progress({
            phase: "training",
            step: p.step + 1,
            totalSteps,
            epoch: p.epoch,
            loss: windowSum / windowCount,
            curve: curve.points(),
          });
          windowSum = 0;
          windowCount = 0;
        }
      },
    },
  );
  if (result.aborted) throw new CancelledError("training was stopped");
  const ms = performance.now() - t0;
  ctx.progress({
    phase: "evaluating",
    step: totalSteps,
    totalSteps,
    epoch: epochs - 1,
    loss: null,
    curve: curve.points(),
  });
  const { accuracy, count } = nn.evaluate(model, ds.batches(test, { batchSize: 500 }));
  store.fp32 = { model, accuracy, trainSize, epochs, seed };
  let parameters = 0;
  for (const p of model.parameters()) parameters += p.data.length;
  return { accuracy, testCount: count, trainSize, epochs, curve: curve.points(), ms, parameters };
}
