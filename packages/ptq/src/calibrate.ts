import type { Batch, Module } from "@quantkit/nn";

/** Progress reported after every calibration batch. */
export interface CalibrateProgress {
  /** 0-based batch index. */
  batch: number;
  /** Batches in all, when the iterable says (`length`). */
  batches: number | undefined;
  /** Samples seen so far. */
  samples: number;
}

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  onProgress?: (progress: CalibrateProgress) => void;
  /** Stops between two batches; `calibrate` then resolves with `aborted: true`. */
  signal?: AbortSignal;
  /** Calibrate on at most this many batches. Default: all. */
  maxBatches?: number;
  /** How often (ms) to yield to the event loop (progress bars, Ctrl-C). Default 50. */
  yieldEveryMs?: number;
}

/** What {@link calibrate} resolves to. */
export interface CalibrateResult {
  batches: number;
  samples: number;
  /** True when `signal` stopped it early (the observers keep what they saw). */
  aborted: boolean;
}

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/**
 * Runs batches through a prepared model in eval mode so that its observers record the ranges of the
 * input and of every fused layer's output (PyTorch's calibration loop: `model(x)` under `no_grad`).
 * Labels are not used. It yields to the event loop every `yieldEveryMs`, reports progress and stops
 * between batches when `signal` aborts (resolving with `aborted: true`).
 *
 * @example
 * const prepared = prepare(model, defaultQConfig);
 * const { samples } = await calibrate(prepared, batches(train, { batchSize: 100 }), {
 *   maxBatches: 10,
 *   onProgress: ({ batch }) => console.log(batch),
 * });
 * samples // 1000
 */
export async function calibrate(
  prepared: Module,
  batches: Iterable<Batch>,
  options: CalibrateOptions = {},
): Promise<CalibrateResult> {
  if (batches === null || typeof (batches as Iterable<Batch>)[Symbol.iterator] !== "function") {
    throw new TypeError("calibrate: batches must be an iterable of { x, y, size, shape? }");
  }
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  if (!(maxBatches >= 0)) throw new RangeError(`calibrate: maxBatches must be >= 0, got ${maxBatches}`);
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  const length = (batches as { length?: unknown }).length;
  const total = typeof length === "number" ? Math.min(length, maxBatches) : undefined;
  const result: CalibrateResult = { batches: 0, samples: 0, aborted: false };
  const modes = prepared.namedModules().map(([, m]) => [m, m.training] as const);
  prepared.eval();
  try {
    let lastYield = performance.now();
    for (const batch of batches) {
      if (result.batches >= maxBatches) break;
      if (options.signal?.aborted) {
        result.aborted = true;
        break;
      }
      const shape = batch.shape ?? [batch.size, batch.x.length / batch.size];
      prepared.call(batch.x, shape);
      result.batches++;
      result.samples += batch.size;
      options.onProgress?.({ batch: result.batches - 1, batches: total, samples: result.samples });
      if (performance.now() - lastYield >= yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
  if (result.batches === 0 && !result.aborted) throw new RangeError("calibrate: the batches hold no samples");
  return result;
}
