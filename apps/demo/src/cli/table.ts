import type { ModelSummary, SeedExperimentSummary } from "./experiment/SeedExperimentSummary";
import { styles, wrapText } from "./terminal";

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
export function layoutTable(
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
  /** Styles a padded cell (colour), after the widths are measured on the plain text. */
  style: (padded: string, row: number, column: number) => string = (c) => c,
): string {
  const widths: number[] = [];
  for (const row of rows) for (const [i, c] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  return rows
    .map((row, r) =>
      row
        .map((c, i) =>
          // The last column is not padded on the right: no trailing blanks, coloured or not.
          style(
            rightAligned.has(i) ? c.padStart(widths[i]!) : i === row.length - 1 ? c : c.padEnd(widths[i]!),
            r,
            i,
          ),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** How {@link formatRunTable} lays out: the terminal's width and colour. */
export interface RunTableLayout {
  /** Columns available (undefined: piped, the wide table and one line per note). */
  columns?: number;
  /** ANSI colour (bold headers, green / red changes). */
  color?: boolean;
}

/** Below this width the table is split in two narrower ones (accuracy and size; inference times). */
export const NARROW_BELOW = 100;

/**
 * The one table `quantkit run` prints: a row per model (fp32, PTQ with the default qconfig, PTQ with
 * the best calibrator, QAT from scratch, QAT fine-tuned) with test accuracy, its change against fp32,
 * the file size in bytes, the backend the accuracy was computed on and the test-set inference time per
 * backend; then notes (training time per epoch, integer-vs-fake-quant agreement, the calibrator choice).
 *
 * @example
 * console.log(formatRunTable(summary, { name: "bundled MNIST", train: 7996, test: 2004 }));
 */
export function formatRunTable(
  s: SeedExperimentSummary,
  dataset: DatasetInfo,
  layout: RunTableLayout = {},
): string {
  const c = s.config;
  const st = styles(layout.color === true);
  const width = layout.columns;
  const title = `${dataset.name}: ${thousands(dataset.train)} train / ${thousands(dataset.test)} test; MLP ${c.layers.join("-")}, Adam lr ${c.lr}, batch ${c.batchSize}, ${c.epochs} epoch${c.epochs === 1 ? "" : "s"}, seed ${c.seed}; quantized to w${c.weightBits}a${c.activationBits}${c.perChannel ? " (per-channel weights)" : ""}`;
  const backends: string[] = [];
  for (const row of [s.fp32, s.ptq, s.ptqBest, s.qat, s.qatFinetune]) {
    if (row === undefined) continue;
    for (const b of Object.keys(row.inferenceMs)) if (!backends.includes(b)) backends.push(b);
  }
  const fp = s.fp32.accuracy;
  const epochs = (n: number) => `${n} epoch${n === 1 ? "" : "s"}`;
  const more = s.fp32Finetune;
  const models: Array<{ model: string; calibration: string; row: ModelSummary }> = [];
  const add = (model: string, calibration: string, row: ModelSummary | undefined) => {
    if (row !== undefined) models.push({ model, calibration, row });
  };
  add("fp32", s.fp32.trained ? "-" : "(given)", s.fp32);
  add("ptq", s.ptq === undefined ? "" : `${s.ptq.calibrator} (${s.ptq.qconfig})`, s.ptq);
  add(
    "ptq best",
    s.ptqBest === undefined ? "" : `${s.ptqBest.calibrator}, weights ${s.ptqBest.weightCalibrator}`,
    s.ptqBest,
  );
  add("qat scratch", s.qat === undefined ? "" : `fake quant, ${epochs(s.qat.epochs)}, lr ${s.qat.lr}`, s.qat);
  add(
    more === undefined ? "" : `fp32 +${epochs(more.epochs)}`,
    more === undefined ? "" : `no fake quant, lr ${more.lr} (fair baseline)`,
    more,
  );
  add(
    "qat finetune",
    s.qatFinetune === undefined ? "" : `from fp32, ${epochs(s.qatFinetune.epochs)}, lr ${s.qatFinetune.lr}`,
    s.qatFinetune,
  );
  for (const w of s.weightOnly ?? []) {
    const data = w.calibrationRows > 0 ? `${thousands(w.calibrationRows)} calibration rows` : "data-free";
    add(`w${w.bits} ${w.method}`, `weight-only, blocks of ${w.blockSize}, ${data}`, w);
  }
  const delta = (m: (typeof models)[number]) =>
    m.row === s.fp32 ? "" : `${m.row.accuracy >= fp ? "+" : ""}${(100 * (m.row.accuracy - fp)).toFixed(2)}`;
  const styleCell = (deltaColumn: number) => (padded: string, r: number, col: number) => {
    if (r === 0) return st.bold(padded);
    if (col === deltaColumn && padded.trim() !== "")
      return padded.trim().startsWith("-") ? st.red(padded) : st.green(padded);
    return padded;
  };

  const wideRows: string[][] = [
    [
      "model",
      "calibration",
      "accuracy",
      "vs fp32",
      "size (bytes)",
      "accuracy on",
      ...backends.map((b) => `${b} ms`),
    ],
    ...models.map((m) => [
      m.model,
      m.calibration,
      pct(m.row.accuracy),
      delta(m),
      thousands(m.row.sizeBytes),
      m.row.backend,
      ...backends.map((b) => ms(m.row, b)),
    ]),
  ];
  const wide = layoutTable(wideRows, new Set([2, 3, 4, ...backends.map((_, i) => 6 + i)]));
  const wideWidth = Math.max(...wide.split("\n").map((l) => l.length));
  const narrow = width !== undefined && (width < NARROW_BELOW || wideWidth > width);

  const notes: string[] = [];
  let body: string;
  if (!narrow) {
    body = layoutTable(wideRows, new Set([2, 3, 4, ...backends.map((_, i) => 6 + i)]), styleCell(3));
  } else {
    // Two tables that fit 80 columns: accuracy and size, then the inference times; the calibration
    // column becomes a note.
    const accuracyRows = [
      ["model", "accuracy", "vs fp32", "size (bytes)", "on"],
      ...models.map((m) => [
        m.model,
        pct(m.row.accuracy),
        delta(m),
        thousands(m.row.sizeBytes),
        m.row.backend,
      ]),
    ];
    const timed = models.filter((m) => Object.keys(m.row.inferenceMs).length > 0);
    const timeRows = [
      ["inference ms", ...backends],
      ...timed.map((m) => [m.model, ...backends.map((b) => ms(m.row, b))]),
    ];
    body = [
      layoutTable(accuracyRows, new Set([1, 2, 3]), styleCell(2)),
      "",
      layoutTable(timeRows, new Set(backends.map((_, i) => 1 + i)), styleCell(-1)),
    ].join("\n");
    notes.push(
      `calibration: ${models
        .filter((m) => m.row !== s.fp32)
        .map((m) => `${m.model}: ${m.calibration}`)
        .join("; ")}`,
    );
  }
  if (s.qatFinetune !== undefined && more !== undefined) {
    const d = 100 * (s.qatFinetune.accuracy - more.accuracy);
    notes.push(
      `qat finetune trains ${epochs(s.qatFinetune.epochs)} more than fp32: against fp32 trained the same ${epochs(more.epochs)} more without fake quantization (${pct(more.accuracy)}) it is ${d >= 0 ? "+" : ""}${d.toFixed(2)} points`,
    );
  }
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
  if (s.weightOnly !== undefined && s.weightOnly.length > 0) {
    notes.push(
      `weight-only rows (w<bits> <method>): PTQ of the fp32 model's weights alone (@quantkit/weights' RTN, GPTQ, AWQ, HQQ in asymmetric blocks along each layer's inputs; activations stay float32, accuracy from the float forward pass with the dequantized weights; size with the weights packed as ONNX Runtime's MatMulNBits stores them); quantization time: ${s.weightOnly
        .map((w) => `w${w.bits} ${w.method} ${(w.quantizeMs / 1000).toFixed(1)} s`)
        .join(", ")}`,
    );
  }
  if (s.aborted) notes.push("interrupted: the rows above are what finished");
  const wrapped = notes.map((n) => wrapText(`- ${n}`, width, "  "));
  return `${wrapText(title, width)}\n\n${body}\n\n${wrapped.join("\n")}\n`;
}
