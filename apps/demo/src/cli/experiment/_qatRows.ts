import { batches } from "@quantkit/datasets";
import {
  Adam,
  argmax,
  createMlp,
  evaluate,
  fit,
  loadStateDict,
  type Module,
  serializeSafetensors,
  stateDict,
} from "@quantkit/nn";
import { convert, createQConfig } from "@quantkit/ptq";
import { disableObserver, prepareQat } from "@quantkit/qat";
import { _fraction, _quantizedRow, type _Run } from "./_quantizedRow";
import type { QatSummary } from "./SeedExperimentSummary";

/** QAT settings: modes, epochs and learning rates (the options' defaults applied by the caller). */
export interface _QatSettings {
  readonly modes: ReadonlyArray<"scratch" | "finetune">;
  readonly epochs: number;
  /** From scratch. */
  readonly lr: number;
  readonly finetuneLr: number;
  readonly reduceRange: boolean;
}

/**
 * The QAT rows: `qat` (from scratch, the notebook) and `qatFinetune` (from the fp32 weights), trained
 * with fake quantization (`prepareQat`, moving-average min-max observers frozen before evaluation) and
 * converted to the integer model. Fills `run.summary` and `run.models`; returns true when stopped.
 */
export async function _qatRows(run: _Run, fp32: Module, settings: _QatSettings): Promise<boolean> {
  const { weightBits, activationBits, perChannel, layers, seed, test, summary, models } = run;
  const testBatch = test.count;
  for (const mode of settings.modes) {
    const qatEpochs = settings.epochs;
    const qatLr = mode === "scratch" ? settings.lr : settings.finetuneLr;
    const qconfig = createQConfig({
      weightBits,
      activationBits,
      perChannel,
      reduceRange: settings.reduceRange,
      qat: true,
      name: `qat w${weightBits}a${activationBits}`,
    });
    const base = createMlp(layers, { seed });
    if (mode === "finetune") loadStateDict(base, stateDict(fp32));
    const qat = prepareQat(base, qconfig);
    const loader = batches(run.train, { batchSize: run.batchSize, shuffle: true, seed });
    const qatStage = run.stages.begin(
      mode === "scratch" ? "qat-scratch" : "qat-finetune",
      `QAT ${mode} epoch 1/${qatEpochs}`,
      qatEpochs * loader.length + 1 + run.summaryUnits,
    );
    const result = await fit(qat, loader, {
      optimizer: new Adam(qat.parameters(), { lr: qatLr }),
      epochs: qatEpochs,
      ...(run.signal ? { signal: run.signal } : {}),
      onBatch: ({ epoch, loss }) => qatStage.advance(1, `QAT ${mode} epoch ${epoch + 1}/${qatEpochs}`, loss),
    });
    if (result.aborted || run.stopped()) {
      summary.aborted = true;
      return true;
    }
    disableObserver(qat);
    qatStage.advance(0, `QAT ${mode}: convert`);
    qat.eval();
    const qatLogits = qat.call(test.images, [testBatch, test.rows * test.cols]);
    const qatFloat = argmax(qatLogits.data, qatLogits.shape);
    const q = convert(qat);
    qatStage.advance(1);
    const row: QatSummary = {
      ..._quantizedRow(
        run,
        q,
        {
          calibrator: "moving_average_minmax",
          weightCalibrator: "moving_average_minmax",
          qconfig: qconfig.name ?? "",
        },
        qatStage,
      ),
      mode,
      epochs: qatEpochs,
      lr: qatLr,
      epochMs: result.epochs.map((e) => e.ms),
      fakeQuantAccuracy: _fraction(qatFloat, test.labels),
      qatModelAgreement: _fraction(
        q.predict(test.images, testBatch, { kernels: run.accuracyBackend.kernels }),
        qatFloat,
      ),
    };
    if (mode === "scratch") {
      summary.qat = row;
      models.qat = q;
    } else {
      summary.qatFinetune = row;
      models.qatFinetune = q;
    }
  }
  return false;
}

/**
 * QAT fine-tuning's fair baseline (`fp32Finetune`): the fp32 model trained further with the fine-tune's
 * recipe (same start, epochs, lr, batches and order) in float32. Returns true when stopped.
 */
export async function _fp32FinetuneRow(run: _Run, fp32: Module): Promise<boolean> {
  const { summary } = run;
  const finetune = summary.qatFinetune;
  if (finetune === undefined) return false;
  const more = createMlp(run.layers, { seed: run.seed });
  loadStateDict(more, stateDict(fp32));
  const loader = batches(run.train, { batchSize: run.batchSize, shuffle: true, seed: run.seed });
  const st = run.stages.begin(
    "fp32-finetune",
    `fp32 fine-tune epoch 1/${finetune.epochs}`,
    finetune.epochs * loader.length + 1,
  );
  const result = await fit(more, loader, {
    optimizer: new Adam(more.parameters(), { lr: finetune.lr }),
    epochs: finetune.epochs,
    ...(run.signal ? { signal: run.signal } : {}),
    onBatch: ({ epoch, loss }) => st.advance(1, `fp32 fine-tune epoch ${epoch + 1}/${finetune.epochs}`, loss),
  });
  if (result.aborted || run.stopped()) {
    summary.aborted = true;
    return true;
  }
  st.advance(0, "fp32 fine-tune: test accuracy");
  const e = evaluate(more, batches(run.test, { batchSize: 1000 }));
  st.advance(1);
  summary.fp32Finetune = {
    accuracy: e.accuracy,
    correct: e.correct,
    count: e.count,
    sizeBytes: serializeSafetensors(stateDict(more)).length,
    backend: "nn",
    inferenceMs: {},
    epochs: finetune.epochs,
    lr: finetune.lr,
    epochMs: result.epochs.map((x) => x.ms),
  };
  return false;
}
