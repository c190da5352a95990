import type { Module } from "@quantkit/nn";
import { dequantize, sqnr } from "@quantkit/quantizers";
import { _toQParams } from "./_activation";
import type { ForwardOptions, QuantizedModel } from "./QuantizedModel";

/** One row of {@link quantizationReport}: an activation of the integer model against the float model's. */
export interface LayerReport {
  /** "quant" for the input, else the layer's name. */
  readonly name: string;
  /** "input", "linear", "conv2d", "maxpool2d", "relu". */
  readonly kind: string;
  /** The float model's module compared with ("relu1" for "fc1" fused with it); "" for the input. */
  readonly sourceName: string;
  /** The raw range calibration saw, or null when unknown. */
  readonly observedMin: number | null;
  readonly observedMax: number | null;
  /** The representable range: (quantMin - zeroPoint) * scale .. (quantMax - zeroPoint) * scale. */
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly scale: number;
  readonly zeroPoint: number;
  readonly quantMin: number;
  readonly quantMax: number;
  /** Weight bits and scale(s), for Linear/Conv2d layers (null otherwise). */
  readonly weightBits: number | null;
  readonly weightScaleMin: number | null;
  readonly weightScaleMax: number | null;
  /** SQNR (dB) of the int8 weights against the float ones, or null. */
  readonly weightSqnrDb: number | null;
  /** SQNR (dB) of this layer's dequantized output against the float model's output at the same point. */
  readonly sqnrDb: number;
  /** The fraction of the float model's values outside [rangeMin, rangeMax] (clipped by the quantization). */
  readonly clippedFraction: number;
}

/**
 * The per-layer report of an integer model: for the input and every layer, the range calibration
 * observed, the quantization (scale, zero point, integer range, the float range it covers), the
 * weights' bits, scales and SQNR, and the SQNR in dB of the layer's output (dequantized) against the
 * float model's output at the same point (after the fused ReLU), on the batch `x`. The float model is
 * run in eval mode with forward hooks on the modules the layers stand for (`sourceName`); the integer
 * model with `options.kernels`. Where SQNR drops from one layer to the next is where precision is lost.
 *
 * @example
 * const rows = quantizationReport(quantized, model, test.images.subarray(0, 500 * 784), 500);
 * console.log(formatQuantizationReport(rows));
 * // layer  kind    observed range      scale     zp  codes     SQNR dB ...
 */
export function quantizationReport(
  model: QuantizedModel,
  floatModel: Module,
  x: Float32Array,
  batch: number,
  options?: ForwardOptions,
): LayerReport[] {
  const trace = model.trace(x, batch, options);
  const floatOut = new Map<string, Float32Array>();
  const handles = model.layers
    .filter((l) => l.kind !== "flatten")
    .map((l) => {
      const target = floatModel.getSubmodule(l.sourceName);
      return target.registerForwardHook((_m, _in, out) => void floatOut.set(l.sourceName, out.data.slice()));
    });
  const modes = floatModel.namedModules().map(([, m]) => [m, m.training] as const);
  floatModel.eval();
  try {
    floatModel.call(x, [batch, ...model.inputShape]);
  } finally {
    for (const h of handles) h.remove();
    for (const [m, training] of modes) m.training = training;
  }
  const rows: LayerReport[] = [];
  for (const [i, t] of trace.entries()) {
    const layer = i === 0 ? null : model.layers[i - 1]!;
    if (layer?.kind === "flatten") continue;
    const reference = layer === null ? x : floatOut.get(layer.sourceName);
    if (reference === undefined || reference.length !== t.codes.length) {
      throw new RangeError(
        `quantizationReport: the float model's "${layer?.sourceName}" gave ${reference?.length ?? "no"} values, the integer layer "${t.name}" ${t.codes.length}`,
      );
    }
    const q = t.qparams;
    const approx = dequantize(t.codes, [t.codes.length], _toQParams(q));
    const rangeMin = (q.quantMin - q.zeroPoint) * q.scale;
    const rangeMax = (q.quantMax - q.zeroPoint) * q.scale;
    let clipped = 0;
    for (let j = 0; j < reference.length; j++) {
      const v = reference[j]!;
      if (v < rangeMin - q.scale / 2 || v > rangeMax + q.scale / 2) clipped++;
    }
    const observed =
      layer === null ? model.inputObservedRange : "observedRange" in layer ? layer.observedRange : null;
    const weighted = layer !== null && (layer.kind === "linear" || layer.kind === "conv2d") ? layer : null;
    rows.push({
      name: t.name,
      kind: layer === null ? "input" : layer.kind,
      sourceName: layer === null ? "" : layer.sourceName,
      observedMin: observed?.min ?? null,
      observedMax: observed?.max ?? null,
      rangeMin,
      rangeMax,
      scale: q.scale,
      zeroPoint: q.zeroPoint,
      quantMin: q.quantMin,
      quantMax: q.quantMax,
      weightBits: weighted?.weight.bits ?? null,
      weightScaleMin: weighted === null ? null : weighted.weight.scale.reduce((a, b) => Math.min(a, b)),
      weightScaleMax: weighted === null ? null : weighted.weight.scale.reduce((a, b) => Math.max(a, b)),
      weightSqnrDb: weighted?.weightSqnrDb ?? null,
      sqnrDb: sqnr(reference, approx),
      clippedFraction: clipped / reference.length,
    });
  }
  return rows;
}

const num = (v: number | null, digits = 4) =>
  v === null ? "-" : Number.isFinite(v) ? v.toPrecision(digits) : String(v);

/**
 * {@link quantizationReport}'s rows as a fixed-width text table.
 *
 * @example
 * console.log(formatQuantizationReport(quantizationReport(quantized, model, x, batch)));
 */
export function formatQuantizationReport(rows: readonly LayerReport[]): string {
  const header = [
    "layer",
    "kind",
    "observed min..max",
    "range min..max",
    "scale",
    "zp",
    "codes",
    "weights",
    "weight SQNR",
    "SQNR dB",
    "clipped",
  ];
  const body = rows.map((r) => [
    r.name,
    r.kind,
    r.observedMin === null ? "-" : `${num(r.observedMin)}..${num(r.observedMax)}`,
    `${num(r.rangeMin)}..${num(r.rangeMax)}`,
    num(r.scale),
    String(r.zeroPoint),
    `${r.quantMin}..${r.quantMax}`,
    r.weightBits === null
      ? "-"
      : `${r.weightBits}-bit ${r.weightScaleMin === r.weightScaleMax ? num(r.weightScaleMin) : `${num(r.weightScaleMin, 3)}..${num(r.weightScaleMax, 3)}`}`,
    r.weightSqnrDb === null ? "-" : r.weightSqnrDb.toFixed(1),
    r.sqnrDb.toFixed(1),
    `${(100 * r.clippedFraction).toFixed(2)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n");
}
