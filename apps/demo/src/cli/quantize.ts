import { type AnyObserverOptions, createObserver, type ObserverName } from "@quantkit/calibrators";
import {
  calculateGroupQParams,
  type DType,
  fakeQuantize,
  maxAbsError,
  mse,
  type QParams,
  type QScheme,
  sqnr,
  steMask,
} from "@quantkit/quantizers";
import { QUANTIZE_CALIBRATORS } from "./constants";
import { type CliIo, userPath } from "./io";
import { layoutTable } from "./table";
import { type NamedTensor, readTensors } from "./tensorFile";

type Calibrator = (typeof QUANTIZE_CALIBRATORS)[number];

/** Options of `quantkit quantize`. */
export interface QuantizeOptions {
  tensor?: string;
  scheme: "affine" | "symmetric";
  bits: number;
  /** Signed codes; default: symmetric signed, affine unsigned. */
  signed?: boolean;
  narrowRange: boolean;
  granularity: "tensor" | "channel" | "group";
  axis: number;
  groupSize?: number;
  calibrator: Calibrator | "all";
  percentile?: number;
  json: boolean;
}

/** One calibrator's parameters and errors on one tensor. */
export interface QuantizeResult {
  tensor: string;
  shape: number[];
  calibrator: string;
  observer: string;
  dtype: DType;
  qscheme: QScheme;
  quantMin: number;
  quantMax: number;
  /** The clipping range(s) picked: [min, max] per tensor, channel or group. */
  rangeMin: number[];
  rangeMax: number[];
  scale: number[];
  zeroPoint: number[];
  mse: number;
  maxAbsError: number;
  sqnrDb: number;
  /** Fraction of values outside the representable range (clamped). */
  clippedFraction: number;
}

function rangeOf(o: QuantizeOptions): { dtype: DType; quantMin: number; quantMax: number } {
  const signed = o.signed ?? o.scheme === "symmetric";
  if (o.bits === 1 && o.scheme === "symmetric") {
    throw new RangeError(
      "--bits 1 with --scheme symmetric has the codes -1..0 around a zero point of 0 and maps every value to 0: use --bits 2 or more, or --scheme affine",
    );
  }
  const half = 2 ** (o.bits - 1);
  if (o.narrowRange && !signed)
    throw new RangeError("--narrow-range needs signed codes (symmetric, or --signed)");
  const quantMin = signed ? (o.narrowRange ? -(half - 1) : -half) : 0;
  const quantMax = signed ? half - 1 : 2 ** o.bits - 1;
  return { dtype: signed ? "qint8" : "quint8", quantMin, quantMax };
}

function qparamsFor(
  t: NamedTensor,
  calibrator: Calibrator,
  o: QuantizeOptions,
): { qparams: QParams; observer: string } {
  const { dtype, quantMin, quantMax } = rangeOf(o);
  const perTensor = o.granularity === "tensor";
  const qscheme: QScheme = `${perTensor ? "per_tensor" : "per_channel"}_${o.scheme}` as QScheme;
  if (o.granularity === "group") {
    if (calibrator !== "minmax")
      throw new RangeError(`--granularity group takes --calibrator minmax, got ${calibrator}`);
    if (o.groupSize === undefined) throw new RangeError("--granularity group needs --group-size N");
    const qparams = calculateGroupQParams(t.data, t.shape, {
      axis: o.axis,
      groupSize: o.groupSize,
      dtype,
      qscheme,
      quantMin,
      quantMax,
    });
    return { qparams, observer: "groupMinMax" };
  }
  // Each observer takes only its own keys (unknown keys are errors).
  const options: AnyObserverOptions = { dtype, qscheme, quantMin, quantMax };
  if (!perTensor) options.chAxis = o.axis;
  if (calibrator === "crossentropy") options.axis = -1;
  if (o.percentile !== undefined && calibrator === "percentile") options.percentile = o.percentile;
  if (!perTensor && !["minmax", "percentile", "mse"].includes(calibrator)) {
    throw new RangeError(
      `--granularity channel takes --calibrator minmax, percentile or mse, got ${calibrator}`,
    );
  }
  const observer = createObserver(calibrator as ObserverName, options);
  observer.observe(t.data, t.shape);
  return { qparams: observer.calculateQParams(), observer: observer.name };
}

/** Quantizes one tensor with one calibrator and measures the error. */
export function quantizeTensor(t: NamedTensor, calibrator: Calibrator, o: QuantizeOptions): QuantizeResult {
  const { qparams, observer } = qparamsFor(t, calibrator, o);
  const approx = fakeQuantize(t.data, t.shape, qparams);
  // steMask is 0 exactly where the unclamped code fell outside [quantMin, quantMax].
  const mask = steMask(t.data, t.shape, qparams);
  let clipped = 0;
  for (let i = 0; i < mask.length; i++) clipped += 1 - mask[i]!;
  const scale = [...qparams.scale];
  const zeroPoint = [...qparams.zeroPoint];
  return {
    tensor: t.name,
    shape: t.shape,
    calibrator,
    observer,
    dtype: qparams.dtype,
    qscheme: qparams.qscheme,
    quantMin: qparams.quantMin,
    quantMax: qparams.quantMax,
    rangeMin: scale.map((s, i) => (qparams.quantMin - zeroPoint[i]!) * s),
    rangeMax: scale.map((s, i) => (qparams.quantMax - zeroPoint[i]!) * s),
    scale,
    zeroPoint,
    mse: mse(t.data, approx),
    maxAbsError: maxAbsError(t.data, approx),
    sqnrDb: sqnr(t.data, approx),
    clippedFraction: clipped / t.data.length,
  };
}

const g = (v: number) => (Number.isFinite(v) ? v.toPrecision(5) : String(v));
function summary(values: number[]): string {
  if (values.length === 1) return g(values[0]!);
  const sorted = [...values].sort((a, b) => a - b);
  return `${values.length} values, min ${g(sorted[0]!)} median ${g(sorted[sorted.length >> 1]!)} max ${g(sorted[sorted.length - 1]!)}`;
}

/**
 * `quantkit quantize <file>`: reads float tensors (safetensors, .npy, JSON), quantizes each with the
 * chosen scheme, bit width, granularity and calibrator (or every calibrator that fits), and prints the
 * parameters (range, scale, zero point, integer range) and the errors (MSE, max |error|, SQNR, the
 * clipped fraction), as text or `--json`.
 */
export async function quantizeCommand(file: string, o: QuantizeOptions, io: CliIo): Promise<number> {
  if (o.percentile !== undefined && o.calibrator !== "percentile" && o.calibrator !== "all") {
    throw new RangeError(
      `--percentile applies to --calibrator percentile (or all), got --calibrator ${o.calibrator}: it would be ignored`,
    );
  }
  const tensors = await readTensors(userPath(file), o.tensor);
  const results: QuantizeResult[] = [];
  for (const t of tensors) {
    if (t.data.length === 0) throw new RangeError(`${file}: tensor "${t.name}" is empty`);
    const calibrators: Calibrator[] =
      o.calibrator === "all"
        ? QUANTIZE_CALIBRATORS.filter((c) =>
            o.granularity === "tensor"
              ? true
              : o.granularity === "channel"
                ? ["minmax", "percentile", "mse"].includes(c)
                : c === "minmax",
          )
        : [o.calibrator];
    for (const c of calibrators) results.push(quantizeTensor(t, c, o));
  }
  if (o.json) {
    io.out(
      `${JSON.stringify({ file, results }, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2)}\n`,
    );
    return 0;
  }
  for (const t of tensors) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of t.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const rows = results.filter((r) => r.tensor === t.name);
    const first = rows[0]!;
    io.out(
      `tensor "${t.name}" ${t.dtype} [${t.shape.join(", ")}] (${t.data.length.toLocaleString("en-US")} values), min ${g(lo)} max ${g(hi)}\n` +
        `  ${o.bits}-bit ${first.qscheme} codes [${first.quantMin}, ${first.quantMax}]${o.granularity === "tensor" ? "" : ` along axis ${o.axis}${o.groupSize ? `, groups of ${o.groupSize}` : ""}`}\n`,
    );
    if (rows.length === 1 && o.granularity !== "tensor") {
      io.out(
        `  calibrator ${first.calibrator} (${first.observer})\n  scale: ${summary(first.scale)}\n  zero point: ${summary(first.zeroPoint)}\n` +
          `  MSE ${g(first.mse)}  max |error| ${g(first.maxAbsError)}  SQNR ${first.sqnrDb.toFixed(2)} dB  clipped ${(100 * first.clippedFraction).toFixed(3)}%\n`,
      );
      continue;
    }
    const table = [
      [
        "calibrator",
        "range min",
        "range max",
        "scale",
        "zero point",
        "MSE",
        "max |error|",
        "SQNR dB",
        "clipped",
      ],
      ...rows.map((r) => [
        r.calibrator,
        r.rangeMin.length === 1 ? g(r.rangeMin[0]!) : `${r.rangeMin.length} ranges`,
        r.rangeMax.length === 1 ? g(r.rangeMax[0]!) : "",
        r.scale.length === 1 ? g(r.scale[0]!) : summary(r.scale),
        r.zeroPoint.length === 1 ? String(r.zeroPoint[0]) : summary(r.zeroPoint),
        g(r.mse),
        g(r.maxAbsError),
        r.sqnrDb.toFixed(2),
        `${(100 * r.clippedFraction).toFixed(3)}%`,
      ]),
    ];
    io.out(
      `${layoutTable(table, new Set([1, 2, 3, 4, 5, 6, 7, 8]))
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n")}\n`,
    );
  }
  return 0;
}
