import { batches, type Dataset } from "@quantkit/datasets";
import { evaluate, type Module } from "@quantkit/nn";
import { quantizeWeightsOnly, WEIGHT_ONLY_METHODS, type WeightOnlyMethod } from "@quantkit/ptq";
import { assertOptions } from "@quantkit/tensor";
import { _featuresOf } from "./_splits";
import type { TimingStats } from "./_time";

/** One weight-only PTQ row of the seed experiment: a method at a width, evaluated in float. */
export interface WeightOnlySummary {
  method: WeightOnlyMethod;
  bits: 2 | 3 | 4 | 8;
  blockSize: number;
  /** Test accuracy in [0, 1] of the float model with the quantized weights (activations float32). */
  accuracy: number;
  correct: number;
  count: number;
  /** The model's bytes with its weights packed as MatMulNBits stores them (see `quantizeWeightsOnly`). */
  sizeBytes: number;
  /** "nn": @quantkit/nn's float forward pass. */
  backend: string;
  /** Not timed (the forward pass is the fp32 one): empty. */
  inferenceMs: Record<string, TimingStats>;
  /** Calibration rows GPTQ and AWQ saw (0 for the data-free RTN and HQQ). */
  calibrationRows: number;
  /** Weight SQNR in dB per Linear, in order. */
  weightSqnrDb: number[];
  /** Quantization time in ms (all layers, including the calibration forward pass). */
  quantizeMs: number;
}

/** Options of {@link weightOnlyRows}. */
export interface WeightOnlyRowsOptions {
  /** Training samples whose inputs to each Linear calibrate GPTQ and AWQ. */
  readonly calibration: Dataset;
  readonly test: Dataset;
  /** Widths, each with every method. Default [4, 3]. */
  readonly bits?: ReadonlyArray<2 | 3 | 4 | 8>;
  /** Default rtn, gptq, awq, hqq. */
  readonly methods?: readonly WeightOnlyMethod[];
  /** Inputs per block along each Linear's inFeatures. Default 32. */
  readonly blockSize?: number;
  /** Stops between rows: the rows done so far are returned. */
  readonly signal?: AbortSignal;
  /** Called before each row (`done` rows finished of `total`) and after the last. */
  readonly onRow?: (done: number, total: number, label: string) => void;
}

/**
 * Weight-only post-training quantization of a trained float model, every method at every width
 * (`quantizeWeightsOnly` of @quantkit/ptq: asymmetric blocks along each Linear's inputs, activations
 * float32), each evaluated on the test set: the rows `quantkit run` adds to the deck's accuracy table.
 * The float model is not changed.
 *
 * @example
 * const rows = weightOnlyRows(fp32, { calibration, test, bits: [4], methods: ["rtn", "gptq"] });
 * rows.map((r) => `${r.method} w${r.bits}: ${r.accuracy}`); // ["rtn w4: 0.89…", "gptq w4: 0.90…"]
 */
export function weightOnlyRows(fp32: Module, options: WeightOnlyRowsOptions): WeightOnlySummary[] {
  assertOptions(
    options,
    ["calibration", "test", "bits", "methods", "blockSize", "signal", "onRow"],
    "weightOnlyRows options",
  );
  const features = _featuresOf(options.calibration, "calibration");
  if (_featuresOf(options.test, "test") !== features)
    throw new RangeError("calibration and test samples differ in size");
  const bitsList = options.bits ?? [4, 3];
  const methods = options.methods ?? WEIGHT_ONLY_METHODS;
  const blockSize = options.blockSize ?? 32;
  const { calibration, test } = options;
  const total = bitsList.length * methods.length;
  const rows: WeightOnlySummary[] = [];
  for (const bits of bitsList) {
    for (const method of methods) {
      options.onRow?.(rows.length, total, `w${bits} ${method}`);
      if (options.signal?.aborted) return rows;
      const needsData = method === "gptq" || method === "awq";
      const t0 = performance.now();
      const q = quantizeWeightsOnly(fp32, {
        method,
        bits,
        blockSize,
        ...(needsData
          ? { calibration: { data: calibration.images, shape: [calibration.count, features] } }
          : {}),
      });
      const quantizeMs = performance.now() - t0;
      const e = evaluate(q.model, batches(test, { batchSize: 1000 }));
      rows.push({
        method,
        bits,
        blockSize,
        accuracy: e.accuracy,
        correct: e.correct,
        count: e.count,
        sizeBytes: q.sizeBytes,
        backend: "nn",
        inferenceMs: {},
        calibrationRows: needsData ? calibration.count : 0,
        weightSqnrDb: q.layers.map((l) => l.weightSqnrDb),
        quantizeMs,
      });
    }
  }
  options.onRow?.(rows.length, total, "weight-only done");
  return rows;
}
