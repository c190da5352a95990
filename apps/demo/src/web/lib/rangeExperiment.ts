/**
 * Section 5's experiment: the same tensor through several of @quantkit/calibrators' observers, each
 * picking a clipping range, and the error of fake quantization with it (`compareObservers`). Runs in
 * the worker (the entropy and histogram searches take a moment on 10,000 values).
 */
import {
  type AnyObserverOptions,
  compareObservers,
  type ObserverComparisonRow,
  type ObserverName,
} from "@quantkit/calibrators";
import { rangeForBits } from "@quantkit/quantizers";
import type { Scheme } from "./deckQuantize";
import { type DistributionKind, deckTensor } from "./distributions";

/** The deck's strategies, in its order, then PyTorch's default histogram observer. */
export const RANGE_METHODS: readonly { method: ObserverName; label: string; note: string }[] = [
  {
    method: "minmax",
    label: "Min-max",
    note: "α = max(V), β = min(V): covers everything, sensitive to outliers",
  },
  {
    method: "percentile",
    label: "Percentile",
    note: "the percentiles of V, so that a few outliers do not stretch the range",
  },
  { method: "mse", label: "MSE", note: "the range that minimizes the mean squared error, by grid search" },
  {
    method: "entropy",
    label: "Entropy (KL)",
    note: "TensorRT's: the threshold that loses the least information (KL divergence)",
  },
  {
    method: "crossentropy",
    label: "Cross-entropy",
    note: "keeps softmax(V): for tensors where the largest values matter most",
  },
  {
    method: "histogram",
    label: "Histogram (L2)",
    note: "PyTorch's HistogramObserver: minimizes the L2 error over a histogram",
  },
];

export interface RangeExperimentInput {
  kind: DistributionKind;
  bits: number;
  scheme: Scheme;
  /** The percentile observer's upper percentile (the lower is 100 − it). Default 99.99, the deck's. */
  percentile?: number;
  methods?: readonly ObserverName[];
}

export interface RangeExperimentOutput {
  rows: ObserverComparisonRow[];
  /** Values in the tensor, the outlier included. */
  n: number;
  outliers: number[];
}

/**
 * Observer options for the deck's schemes at `bits`, the same integer ranges as section 4:
 * asymmetric quint8 over [0, 2ⁿ − 1], symmetric qint8 over [−(2ⁿ⁻¹ − 1), 2ⁿ⁻¹ − 1].
 *
 * @example
 * deckObserverOptions(4, "symmetric") // { dtype: "qint8", qscheme: "per_tensor_symmetric", quantMin: -7, quantMax: 7 }
 */
export function deckObserverOptions(bits: number, scheme: Scheme): AnyObserverOptions {
  const symmetric = scheme === "symmetric";
  const { quantMin, quantMax } = rangeForBits(bits, symmetric, { narrowRange: symmetric });
  return {
    dtype: symmetric ? "qint8" : "quint8",
    qscheme: symmetric ? "per_tensor_symmetric" : "per_tensor_affine",
    quantMin,
    quantMax,
  };
}

/**
 * Runs every method on the section's tensor.
 *
 * @example
 * const { rows } = runRangeExperiment({ kind: "outlier", bits: 8, scheme: "asymmetric" });
 * rows[0].mseInliers // about 1.41 (min-max); the percentile row: about 0.05
 */
export function runRangeExperiment(input: RangeExperimentInput): RangeExperimentOutput {
  const { x, outliers } = deckTensor(input.kind);
  const percentile = input.percentile ?? 99.99;
  const rows = compareObservers(x, {
    methods: input.methods ?? RANGE_METHODS.map((m) => m.method),
    observerOptions: deckObserverOptions(input.bits, input.scheme),
    perMethod: { percentile: { percentile } },
    outliers,
  });
  return { rows, n: x.length, outliers };
}
