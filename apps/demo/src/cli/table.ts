import type { ModelSummary, SeedExperimentSummary } from "@quantkit/qat";

/** What the table's title says about the data. */
export interface DatasetInfo {
  name: string;
  train: number;
  test: number;
}

const thousands = (n: number) => Math.round(n).toLocaleString("en-US");
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function ms(row: ModelSummary, backend: string): string {
  const t = row.inferenceMs[backend];
  return t === undefined || !Number.isFinite(t.medianMs) ? "-" : t.medianMs.toFixed(1);
}

/** Lays out rows of cells with columns padded to their widest cell (numbers right-aligned). */
export function layoutTable(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths: number[] = [];
  for (const row of rows) for (const [i, c] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  return rows
    .map((row) =>
      row
        .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * The one table `quantkit run` prints: a row per model (fp32, PTQ with the default qconfig, PTQ with
 * the best calibrator, QAT from scratch, QAT fine-tuned) with test accuracy, its change against fp32,
 * the file size in bytes, the backend the accuracy was computed on and the test-set inference time per
 * backend; then notes (training time per epoch, integer-vs-fake-quant agreement, the calibrator choice).
 *
 * @example
 * console.log(formatRunTable(summary, { name: "bundled MNIST", train: 7996, test: 2004 }));
 */
export function formatRunTable(s: SeedExperimentSummary, dataset: DatasetInfo): string {
  const c = s.config;
  const lines: string[] = [];
  lines.push(
    `${dataset.name}: ${thousands(dataset.train)} train / ${thousands(dataset.test)} test; MLP ${c.layers.join("-")}, Adam lr ${c.lr}, batch ${c.batchSize}, ${c.epochs} epoch${c.epochs === 1 ? "" : "s"}, seed ${c.seed}; quantized to w${c.weightBits}a${c.activationBits}${c.perChannel ? " (per-channel weights)" : ""}`,
  );
  const backends: string[] = [];
  for (const row of [s.fp32, s.ptq, s.ptqBest, s.qat, s.qatFinetune]) {
    if (row === undefined) continue;
    for (const b of Object.keys(row.inferenceMs)) if (!backends.includes(b)) backends.push(b);
  }
  const header = [
    "model",
    "calibration",
    "accuracy",
    "vs fp32",
    "size (bytes)",
    "accuracy on",
    ...backends.map((b) => `${b} ms`),
  ];
  const rows: string[][] = [header];
  const fp = s.fp32.accuracy;
  const add = (model: string, calibration: string, row: ModelSummary | undefined) => {
    if (row === undefined) return;
    const delta =
      model === "fp32" ? "" : `${row.accuracy >= fp ? "+" : ""}${(100 * (row.accuracy - fp)).toFixed(2)}`;
    rows.push([
      model,
      calibration,
      pct(row.accuracy),
      delta,
      thousands(row.sizeBytes),
      row.backend,
      ...backends.map((b) => ms(row, b)),
    ]);
  };
  add("fp32", s.fp32.trained ? "-" : "(given)", s.fp32);
  add("ptq", s.ptq === undefined ? "" : `${s.ptq.calibrator} (${s.ptq.qconfig})`, s.ptq);
  add(
    "ptq best",
    s.ptqBest === undefined ? "" : `${s.ptqBest.calibrator}, weights ${s.ptqBest.weightCalibrator}`,
    s.ptqBest,
  );
  add("qat scratch", s.qat === undefined ? "" : `fake quant, ${s.qat.epochs} epoch, lr ${s.qat.lr}`, s.qat);
  add(
    "qat finetune",
    s.qatFinetune === undefined ? "" : `from fp32, ${s.qatFinetune.epochs} epoch, lr ${s.qatFinetune.lr}`,
    s.qatFinetune,
  );
  const right = new Set([2, 3, 4, ...backends.map((_, i) => 6 + i)]);
  lines.push("", layoutTable(rows, right), "");
  const notes: string[] = [];
  notes.push(
    `inference: the ${thousands(dataset.test)} test samples in one batch, median of ${s.fp32.inferenceMs.nn?.repeats ?? 0} runs after a warm-up (fp32 "nn" is @quantkit/nn's forward pass, the other fp32 columns the backend's matmulF32)`,
  );
  if (s.fp32.epochMs.length > 0)
    notes.push(
      `fp32 training: ${s.fp32.epochMs.map((m) => `${(m / 1000).toFixed(1)} s`).join(", ")} per epoch`,
    );
  for (const q of [s.qat, s.qatFinetune]) {
    if (q !== undefined)
      notes.push(
        `QAT ${q.mode} training: ${q.epochMs.map((m) => `${(m / 1000).toFixed(1)} s`).join(", ")} per epoch; its fake-quantized float model: ${pct(q.fakeQuantAccuracy)}, the integer model agrees on ${pct(q.qatModelAgreement)} of predictions`,
      );
  }
  const agreements = [s.ptq, s.ptqBest, s.qat, s.qatFinetune].filter((r) => r !== undefined);
  if (agreements.length > 0) {
    notes.push(
      `integer vs fake-quantized float forward (same predictions): ${agreements.map((r) => pct(r.agreement)).join(", ")}; all backends give the same codes: ${agreements.every((r) => r.backendsAgree) ? "yes" : "NO"}`,
    );
  }
  if (s.ptqBest !== undefined) {
    const best = s.ptqBest;
    notes.push(
      `best calibrator chosen on ${thousands(c.selectionSamples)} held-out training samples (calibrated on ${thousands(c.calibrationSamples)} others): ${best.candidates
        .map((k) => `${k.calibrator}/${k.weightCalibrator} ${pct(k.selectionAccuracy)}`)
        .join(", ")}`,
    );
  }
  if (s.aborted) notes.push("interrupted: the rows above are what finished");
  return `${lines.join("\n")}\n${notes.map((n) => `- ${n}`).join("\n")}\n`;
}
