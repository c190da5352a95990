/**
 * Training the deck's MLP (784-100-100-10, ReLU; Adam, lr 1e-3, batch 10, as the notebook) on the
 * bundled MNIST digits with @quantkit/nn, in the worker, with progress and a loss curve.
 */

import { LossCurve, type LossPoint } from "../lib/lossCurve";
import { MLP_LAYERS } from "../lib/modelSize";
import type { JobContext } from "./dispatcher";
import { loadMnist, setFp32 } from "./modelStore";
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
  /** The float model's version (see modelStore). */
  version: number;
}

const PROGRESS_EVERY_MS = 120;

/** How {@link fitWithProgress} trains. */
export interface FitPlan {
  epochs: number;
  lr: number;
  seed: number;
  batchSize: number;
}

/**
 * Trains `model` (a float MLP or a QAT-prepared one) on `data` with Adam, reporting progress with a
 * loss curve through `report`; throws CancelledError when the job is cancelled.
 */
export async function fitWithProgress(
  model: import("@quantkit/nn").Module,
  data: import("@quantkit/datasets").Dataset,
  plan: FitPlan,
  ctx: Pick<JobContext<unknown>, "signal">,
  report: (p: { step: number; totalSteps: number; epoch: number; loss: number; curve: LossPoint[] }) => void,
): Promise<{ curve: LossPoint[]; ms: number }> {
  const [nn, ds] = await Promise.all([import("@quantkit/nn"), import("@quantkit/datasets")]);
  const { epochs, lr, seed, batchSize } = plan;
  const totalSteps = Math.ceil(data.count / batchSize) * epochs;
  const curve = new LossCurve(240);
  let last = performance.now();
  let windowSum = 0;
  let windowCount = 0;
  const t0 = performance.now();
  const result = await nn.fit(
    model,
    (epoch) => ds.batches(data, { batchSize, shuffle: true, seed: seed + epoch }),
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
          report({
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
  return { curve: curve.points(), ms: performance.now() - t0 };
}

/** A seeded random subset of `size` training digits (all of them for 0). */
export async function trainingSubset(
  size: number,
  seed: number,
): Promise<import("@quantkit/datasets").Dataset> {
  const [{ train }, ds] = await Promise.all([loadMnist(), import("@quantkit/datasets")]);
  const n = size === 0 ? train.count : size;
  if (!Number.isInteger(n) || n < 10 || n > train.count) {
    throw new RangeError(`trainSize must be 0 (all) or an integer in 10..${train.count}, got ${size}`);
  }
  // The split is ordered by digit: shuffle before taking a subset, or it would hold only 0s and 1s.
  return n === train.count ? train : ds.sliceDataset(ds.shuffleDataset(train, seed), 0, n);
}

/** Trains a fresh MLP and keeps it as the worker's float model. */
export async function trainMlp(input: TrainInput, ctx: JobContext<TrainProgress>): Promise<TrainOutput> {
  const { epochs, seed = 0, lr = 1e-3, batchSize = 10 } = input;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 20)
    throw new RangeError(`epochs must be an integer in 1..20, got ${epochs}`);
  ctx.progress({ phase: "loading", step: 0, totalSteps: 0, epoch: 0, loss: null, curve: [] });
  const [{ test }, nn, ds] = await Promise.all([
    loadMnist(),
    import("@quantkit/nn"),
    import("@quantkit/datasets"),
  ]);
  const subset = await trainingSubset(input.trainSize, seed);
  const model = nn.createMlp(MLP_LAYERS, { seed });
  const { curve, ms } = await fitWithProgress(model, subset, { epochs, lr, seed, batchSize }, ctx, (p) =>
    ctx.progress({ phase: "training", ...p }),
  );
  const totalSteps = Math.ceil(subset.count / batchSize) * epochs;
  ctx.progress({ phase: "evaluating", step: totalSteps, totalSteps, epoch: epochs - 1, loss: null, curve });
  const { accuracy, count } = nn.evaluate(model, ds.batches(test, { batchSize: 500 }));
  const version = setFp32({ model, accuracy, trainSize: subset.count, epochs, seed });
  let parameters = 0;
  for (const p of model.parameters()) parameters += p.data.length;
  return { accuracy, testCount: count, trainSize: subset.count, epochs, curve, ms, parameters, version };
}
