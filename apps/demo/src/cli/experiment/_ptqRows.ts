import type { ObserverName } from "@quantkit/calibrators";
import { batches } from "@quantkit/datasets";
import type { Module } from "@quantkit/nn";
import {
  calibrate,
  convert,
  createQConfig,
  defaultPerChannelQConfig,
  defaultQConfig,
  prepare,
  type QConfig,
  type QuantizedModel,
} from "@quantkit/ptq";
import { _fraction, _quantizedRow, type _Run } from "./_quantizedRow";
import type { _Stage } from "./_stageProgress";
import type { PtqBestSummary } from "./SeedExperimentSummary";

/** The fp32 model prepared with `qconfig`, calibrated on the calibration split, converted; null when stopped. */
async function calibrated(
  run: _Run,
  fp32: Module,
  qconfig: QConfig,
  label: string,
  stage: _Stage,
): Promise<QuantizedModel | null> {
  const prepared = prepare(fp32, qconfig);
  const loader = batches(run.calibrationSet, { batchSize: 100 });
  stage.advance(0, label);
  const r = await calibrate(prepared, loader, {
    ...(run.signal ? { signal: run.signal } : {}),
    onProgress: () => stage.advance(1),
  });
  return r.aborted ? null : convert(prepared);
}

/**
 * The PTQ rows: `ptq` with PyTorch's default qconfig (min-max; at 8 bits `default_qconfig` with 7-bit
 * activations), then `ptqBest`, every activation x weight calibrator chosen by accuracy on the held-out
 * selection split. Fills `run.summary` and `run.models`; returns true when the run stopped.
 */
export async function _ptqRows(
  run: _Run,
  fp32: Module,
  activationCalibrators: readonly ObserverName[],
  weightCalibrators: readonly ObserverName[],
  reduceRange: boolean,
): Promise<boolean> {
  const { weightBits, activationBits, perChannel, summary, models, stages, selectionSet } = run;
  // PTQ with the default qconfig
  const ptqQConfig =
    weightBits === 8 && activationBits === 8
      ? perChannel
        ? defaultPerChannelQConfig
        : defaultQConfig
      : createQConfig({
          weightBits,
          activationBits,
          perChannel,
          name: `minmax w${weightBits}a${activationBits}${perChannel ? " per-channel" : ""}`,
        });
  const ptqStage = stages.begin(
    "calibrate",
    "minmax (default qconfig)",
    run.calibrationBatches + run.summaryUnits,
  );
  const ptq = await calibrated(run, fp32, ptqQConfig, "minmax (default qconfig)", ptqStage);
  if (ptq === null || run.stopped()) {
    summary.aborted = true;
    return true;
  }
  models.ptq = ptq;
  summary.ptq = _quantizedRow(
    run,
    ptq,
    { calibrator: "minmax", weightCalibrator: "minmax", qconfig: ptqQConfig.name ?? "" },
    ptqStage,
  );

  // PTQ with the best calibrator, chosen on the held-out selection split
  const candidates: PtqBestSummary["candidates"] = [];
  let best: {
    q: QuantizedModel;
    qconfig: QConfig;
    calibrator: string;
    weightCalibrator: string;
    accuracy: number;
  } | null = null;
  const selectStage = stages.begin(
    "select",
    "choosing the best calibrator",
    activationCalibrators.length * weightCalibrators.length * (run.calibrationBatches + 1) + run.summaryUnits,
  );
  for (const calibrator of activationCalibrators) {
    for (const weightCalibrator of weightCalibrators) {
      const qconfig = createQConfig({
        weightBits,
        activationBits,
        perChannel,
        reduceRange,
        activationObserver: calibrator,
        weightObserver: weightCalibrator,
      });
      const q = await calibrated(
        run,
        fp32,
        qconfig,
        `${calibrator} / weights ${weightCalibrator}`,
        selectStage,
      );
      if (q === null || run.stopped()) return true;
      const predictions = q.predict(selectionSet.images, selectionSet.count, {
        kernels: run.accuracyBackend.kernels,
      });
      selectStage.advance(1);
      const accuracy = _fraction(predictions, selectionSet.labels);
      candidates.push({ calibrator, weightCalibrator, selectionAccuracy: accuracy });
      if (best === null || accuracy > best.accuracy)
        best = { q, qconfig, calibrator, weightCalibrator, accuracy };
    }
  }
  if (best !== null) {
    models.ptqBest = best.q;
    summary.ptqBest = {
      ..._quantizedRow(
        run,
        best.q,
        {
          calibrator: best.calibrator,
          weightCalibrator: best.weightCalibrator,
          qconfig: best.qconfig.name ?? "",
        },
        selectStage,
      ),
      selectionAccuracy: best.accuracy,
      candidates,
    };
  }
  return false;
}
