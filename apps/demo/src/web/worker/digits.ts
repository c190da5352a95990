/**
 * Section 10's jobs: classify a drawn digit with the float model, the PTQ int8 model and the QAT
 * int4 model side by side; make whichever of the three is missing; hand out a test digit to try.
 */
import type { JobContext } from "./dispatcher";
import { keepDerived, loadMnist, store } from "./modelStore";
import { CancelledError } from "./protocol";
import { PTQ_KEY, quantizeAndEvaluate } from "./ptq";
import { QAT_KEY, trainQat } from "./qat";
import { trainMlp } from "./training";

export interface ModelPrediction {
  id: "fp32" | "ptq8" | "qat4";
  label: string;
  available: boolean;
  /** Class probabilities (softmax of the model's dequantized logits), or null when the model is missing. */
  probs: number[] | null;
  predicted: number | null;
  /** The model's accuracy on the 2,004 test digits. */
  accuracy: number | null;
  /** The float model version it was made from (its own version for fp32; null: made without one). */
  madeFrom: number | null;
  /** Made from a float model that is no longer the current one. */
  stale: boolean;
}

export interface ClassifyInput {
  /** 28 x 28 pixels in [0, 1], ink = 1 (before normalisation). */
  image: Float32Array;
}

export interface ClassifyOutput {
  models: ModelPrediction[];
  /** The current float model's version (null: none yet). */
  fp32Version: number | null;
}

/** Whether the model kept under `key` was made from a float model other than the current one. */
function _isStale(key: string): boolean {
  const from = store.madeFrom.get(key);
  return store.extra.has(key) && from !== null && from !== undefined && from !== store.fp32?.version;
}

interface LogitsModel {
  forward(x: Float32Array, batch: number): { data: Float32Array };
}

export async function classify(input: ClassifyInput): Promise<ClassifyOutput> {
  if (!(input.image instanceof Float32Array) || input.image.length !== 784) {
    throw new RangeError(`image must be a Float32Array of 784 pixels, got ${input.image?.length}`);
  }
  const [nn, ds] = await Promise.all([import("@quantkit/nn"), import("@quantkit/datasets")]);
  const x = ds.normalize(ds.createDataset(input.image.slice(), new Uint8Array([0]), 28, 28)).images;
  const softmax = (logits: Float32Array) => [...nn.softmax(logits, [1, 10])];
  const ptq = store.extra.get(PTQ_KEY(8)) as LogitsModel | undefined;
  const qat = store.extra.get(QAT_KEY(4)) as LogitsModel | undefined;
  const fp = store.fp32;
  const entry = (
    id: ModelPrediction["id"],
    label: string,
    logits: Float32Array | null,
    accuracy: number | null,
    key: string | null,
  ): ModelPrediction => {
    const probs = logits ? softmax(logits) : null;
    return {
      id,
      label,
      available: probs !== null,
      probs,
      predicted: probs ? probs.indexOf(Math.max(...probs)) : null,
      accuracy,
      madeFrom: key === null ? (fp?.version ?? null) : (store.madeFrom.get(key) ?? null),
      stale: key !== null && _isStale(key),
    };
  };
  return {
    models: [
      entry("fp32", "float32", fp ? fp.model.call(x, [1, 784]).data : null, fp?.accuracy ?? null, null),
      entry(
        "ptq8",
        "PTQ int8",
        ptq ? ptq.forward(x, 1).data : null,
        store.accuracy.get(PTQ_KEY(8)) ?? null,
        PTQ_KEY(8),
      ),
      entry(
        "qat4",
        "QAT int4",
        qat ? qat.forward(x, 1).data : null,
        store.accuracy.get(QAT_KEY(4)) ?? null,
        QAT_KEY(4),
      ),
    ],
    fp32Version: fp?.version ?? null,
  };
}

export interface PrepareModelsInput {
  trainSize: number;
}

export interface PrepareModelsProgress {
  stage: string;
  fraction: number;
}

/**
 * Makes the float model, the PTQ int8 model and the QAT int4 model, skipping those that exist and
 * were made from the current float model (a model made from an earlier one is made again).
 */
export async function prepareModels(
  input: PrepareModelsInput,
  ctx: JobContext<PrepareModelsProgress>,
): Promise<ClassifyOutput> {
  if (!store.fp32) {
    await trainMlp(
      { trainSize: input.trainSize, epochs: 1 },
      {
        ...ctx,
        progress: (p) =>
          ctx.progress({
            stage: "training the float model",
            fraction: p.totalSteps ? (0.45 * p.step) / p.totalSteps : 0,
          }),
      },
    );
  }
  if (!store.extra.has(PTQ_KEY(8)) || _isStale(PTQ_KEY(8))) {
    ctx.progress({ stage: "PTQ to int8 (min-max, 500 digits)", fraction: 0.45 });
    const q = await quantizeAndEvaluate(store.fp32!.model, {
      bits: 8,
      calibrator: "minmax",
      perChannel: false,
      calibSize: 500,
      seed: 1,
      signal: ctx.signal,
    });
    if (!q) throw new CancelledError();
    keepDerived(PTQ_KEY(8), q.quantized, q.accuracy, store.fp32!.version);
  }
  if (!store.extra.has(QAT_KEY(4)) || _isStale(QAT_KEY(4))) {
    await trainQat({ bits: 4, mode: "finetune", epochs: 1, trainSize: input.trainSize }, ctx, (p) =>
      ctx.progress({ stage: "QAT to int4 (fine-tuning, 1 epoch)", fraction: 0.5 + 0.5 * p.fraction }),
    );
  }
  return classify({ image: new Float32Array(784) });
}

export interface TestDigitOutput {
  /** 28 x 28 pixels in [0, 1] (the bundled digit, before normalisation). */
  image: Float32Array;
  label: number;
  index: number;
}

/** The `index`-th test digit, un-normalized back to [0, 1]. */
export async function testDigit(input: { index: number }): Promise<TestDigitOutput> {
  const [{ test }, ds] = await Promise.all([loadMnist(), import("@quantkit/datasets")]);
  const index = ((input.index % test.count) + test.count) % test.count;
  const image = test.images.slice(index * 784, (index + 1) * 784);
  for (let i = 0; i < 784; i++) image[i] = Math.min(1, Math.max(0, image[i]! * ds.MNIST_STD + ds.MNIST_MEAN));
  return { image, label: test.labels[index]!, index };
}
