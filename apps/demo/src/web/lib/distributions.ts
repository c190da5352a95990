/**
 * The tensors sections 4 and 5 quantize, made from one seed so that every learner sees the same
 * numbers: the deck's notebooks use values uniform in [-50, 150], and add one outlier at 1000 to show
 * what min-max does with it.
 */
import { Rng } from "@quantkit/tensor";

export type DistributionKind = "uniform" | "normal" | "outlier" | "relu";

export interface DistributionInfo {
  kind: DistributionKind;
  label: string;
  description: string;
}

export const DISTRIBUTIONS: readonly DistributionInfo[] = [
  {
    kind: "uniform",
    label: "Uniform [-50, 150]",
    description: "the deck's notebook: values spread evenly over [-50, 150]",
  },
  {
    kind: "normal",
    label: "Normal (mean 0, std 40)",
    description: "bell-shaped and centred on zero, like a layer's weights",
  },
  {
    kind: "outlier",
    label: "Uniform + outlier 1000",
    description: "the deck's notebook: the uniform values plus one outlier at 1000",
  },
  {
    kind: "relu",
    label: "ReLU activations",
    description: "max(0, x) of a normal: half of the values are exactly 0",
  },
];

/** The deck's outlier value. */
export const OUTLIER = 1000;

/**
 * `n` float32 values of a distribution, from a seeded RNG. The "outlier" tensor is the uniform one
 * with its last value replaced by 1000 (so it has n values, one of them the outlier).
 *
 * @example
 * const x = makeDistribution("outlier", 10000, 0);
 * x[9999] // 1000
 */
export function makeDistribution(kind: DistributionKind, n: number, seed = 0): Float32Array {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer >= 2, got ${n}`);
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  switch (kind) {
    case "uniform":
      return rng.fillUniform(x, -50, 150);
    case "normal":
      return rng.fillNormal(x, 0, 40);
    case "outlier":
      rng.fillUniform(x, -50, 150);
      x[n - 1] = OUTLIER;
      return x;
    case "relu":
      rng.fillNormal(x, 0, 40);
      for (let i = 0; i < n; i++) if (x[i]! < 0) x[i] = 0;
      return x;
    default:
      throw new TypeError(
        `kind must be one of ${DISTRIBUTIONS.map((d) => d.kind).join(", ")}, got ${JSON.stringify(kind)}`,
      );
  }
}

/** How many values sections 4 and 5 quantize (plus the outlier, for the "outlier" tensor). */
export const DECK_TENSOR_SIZE = 10_000;

/**
 * The tensor sections 4 and 5 quantize: 10,000 values of the distribution, and for "outlier" the
 * deck's notebook exactly: 10,000 uniform values in [-50, 150] then the outlier 1000 (index 10,000),
 * the data of @quantkit/calibrators' `minMaxVsPercentile` (same seed, same generator).
 *
 * @example
 * const { x, outliers } = deckTensor("outlier");
 * x.length    // 10001
 * outliers    // [10000]
 */
export function deckTensor(kind: DistributionKind, seed = 0): { x: Float32Array; outliers: number[] } {
  if (kind === "outlier")
    return { x: makeDistribution("outlier", DECK_TENSOR_SIZE + 1, seed), outliers: [DECK_TENSOR_SIZE] };
  return { x: makeDistribution(kind, DECK_TENSOR_SIZE, seed), outliers: [] };
}

/**
 * The deck's "quantization from scratch" input: 20 values uniform in [-50, 150], rounded to two
 * decimals so that they read well in a table.
 *
 * @example
 * deckVector().length // 20
 */
export function deckVector(seed = 7): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(20);
  for (let i = 0; i < 20; i++) x[i] = Math.round(rng.uniform(-50, 150) * 100) / 100;
  // The ends of the range, so that min and max are the deck's -50 and 150.
  x[3] = -50;
  x[11] = 150;
  return x;
}
