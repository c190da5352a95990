/**
 * Section 1's arithmetic: how many bytes a model's parameters take at a bit width.
 */

/** A model the size calculator offers. */
export interface ModelPreset {
  id: string;
  label: string;
  parameters: number;
  note: string;
}

/**
 * The parameter count of a multilayer perceptron of Linear layers (weights and biases), e.g. the deck's
 * 784-100-100-10 "VerySimpleNet": 784*100 + 100 + 100*100 + 100 + 100*10 + 10.
 *
 * @example
 * mlpParameterCount([784, 100, 100, 10]) // 89610
 */
export function mlpParameterCount(layerSizes: readonly number[]): number {
  if (layerSizes.length < 2)
    throw new RangeError(`layerSizes needs at least 2 sizes, got ${layerSizes.length}`);
  let n = 0;
  for (let i = 1; i < layerSizes.length; i++) {
    const fanIn = layerSizes[i - 1]!;
    const fanOut = layerSizes[i]!;
    if (!Number.isInteger(fanIn) || fanIn < 1 || !Number.isInteger(fanOut) || fanOut < 1) {
      throw new RangeError(`layerSizes must be positive integers, got [${layerSizes.join(", ")}]`);
    }
    n += fanIn * fanOut + fanOut;
  }
  return n;
}

/** The MLP this project trains (the deck's notebook "VerySimpleNet"). */
export const MLP_LAYERS = [784, 100, 100, 10] as const;

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: "llama2-7b",
    label: "LLaMA 2 7B",
    parameters: 7e9,
    note: "the smallest LLaMA 2, the deck's example",
  },
  {
    id: "mlp",
    label: "quantkit's MLP (784-100-100-10)",
    parameters: mlpParameterCount(MLP_LAYERS),
    note: "the MNIST classifier trained in sections 8-10",
  },
  { id: "llama2-70b", label: "LLaMA 2 70B", parameters: 70e9, note: "the largest LLaMA 2" },
  { id: "resnet50", label: "ResNet-50", parameters: 25.6e6, note: "a classic image classifier" },
];

/**
 * The bytes that `parameters` values take at `bits` each: parameters x bits / 8.
 *
 * @example
 * parameterBytes(7e9, 32) // 28e9 (28 GB, the deck's number)
 * parameterBytes(89610, 8) // 89610
 */
export function parameterBytes(parameters: number, bits: number): number {
  if (!Number.isFinite(parameters) || parameters < 0) {
    throw new RangeError(`parameters must be finite and >= 0, got ${parameters}`);
  }
  if (!Number.isInteger(bits) || bits < 1 || bits > 64)
    throw new RangeError(`bits must be an integer in 1..64, got ${bits}`);
  return (parameters * bits) / 8;
}

/** The widths the calculator compares, with the format a value of that width usually is. */
export const WIDTHS: readonly { bits: number; label: string }[] = [
  { bits: 32, label: "float32" },
  { bits: 16, label: "float16 / bfloat16" },
  { bits: 8, label: "int8" },
  { bits: 4, label: "int4" },
  { bits: 2, label: "int2" },
];
