import { assertOptions, Rng } from "@quantkit/tensor";
import { Linear } from "./linear";
import { ReLU } from "./relu";
import { Sequential } from "./sequential";

/** Options of {@link createMlp}. */
export interface CreateMlpOptions {
  /** Seed of the initialisation. Default 0. */
  seed?: number;
  /** A generator to draw from instead of a seed. */
  rng?: Rng;
}

/**
 * A multilayer perceptron of Linear layers with ReLU between them, named `fc1`, `relu1`, `fc2`,
 * `relu2`, ..., `fcN` (no activation after the last): the seed's model is
 * `createMlp([784, 100, 100, 10])`, Linear-ReLU-Linear-ReLU-Linear. Layers are initialised in order
 * from one seeded `Rng` (PyTorch's default initialisation), so a seed fixes the whole model.
 *
 * @example
 * const model = createMlp([784, 100, 100, 10], { seed: 0 });
 * model.names() // ["fc1", "relu1", "fc2", "relu2", "fc3"]
 * model.parameters().length // 6 (a weight and a bias per Linear)
 */
export function createMlp(sizes: readonly number[], options: CreateMlpOptions = {}): Sequential {
  assertOptions(options, ["seed", "rng"], "createMlp options");
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new RangeError(`sizes must list at least an input and an output size, got [${String(sizes)}]`);
  }
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const model = new Sequential();
  for (let i = 1; i < sizes.length; i++) {
    model.append(`fc${i}`, new Linear(sizes[i - 1]!, sizes[i]!, { rng }));
    if (i < sizes.length - 1) model.append(`relu${i}`, new ReLU());
  }
  return model;
}
