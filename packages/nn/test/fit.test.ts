import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { Adam, accuracy, type Batch, createMlp, evaluate, fit, SGD } from "../src/index";

/** Three Gaussian blobs in 2-D, 60 points each: a problem an MLP separates perfectly. */
function blobs(seed: number): { x: Float32Array; y: Uint8Array } {
  const rng = new Rng(seed);
  const centres = [
    [3, 0],
    [-3, 2],
    [0, -3],
  ];
  const x = new Float32Array(180 * 2);
  const y = new Uint8Array(180);
  for (let i = 0; i < 180; i++) {
    const c = i % 3;
    y[i] = c;
    x[2 * i] = centres[c]![0]! + rng.normal(0, 0.5);
    x[2 * i + 1] = centres[c]![1]! + rng.normal(0, 0.5);
  }
  return { x, y };
}

function toBatches(data: { x: Float32Array; y: Uint8Array }, size: number): Batch[] {
  const out: Batch[] = [];
  for (let s = 0; s < data.y.length; s += size) {
    const n = Math.min(size, data.y.length - s);
    out.push({ x: data.x.subarray(2 * s, 2 * (s + n)), y: data.y.subarray(s, s + n), size: n });
  }
  return out;
}

describe("fit", () => {
  it("trains an MLP to separate three blobs, reporting every batch and epoch", async () => {
    const model = createMlp([2, 16, 3], { seed: 0 });
    const train = toBatches(blobs(1), 12);
    const before = evaluate(model, train);
    const batchesSeen: number[] = [];
    const epochLosses: number[] = [];
    const result = await fit(model, train, {
      optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
      epochs: 3,
      onBatch: (p) => batchesSeen.push(p.step),
      onEpoch: (s) => epochLosses.push(s.loss),
    });
    expect(result.steps).toBe(45);
    expect(result.aborted).toBe(false);
    expect(batchesSeen).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(result.epochs.map((e) => e.samples)).toEqual([180, 180, 180]);
    expect(epochLosses[2]!).toBeLessThan(epochLosses[0]!);
    expect(accuracy(model, toBatches(blobs(2), 50))).toBe(1);
    expect(evaluate(model, train).loss).toBeLessThan(before.loss / 10);
  });
  it("takes a function of the epoch and reports batchesPerEpoch from a length", async () => {
    const model = createMlp([2, 3], { seed: 0 });
    const data = toBatches(blobs(1), 60);
    const epochsAsked: number[] = [];
    const perEpoch: Array<number | undefined> = [];
    await fit(
      model,
      (epoch) => {
        epochsAsked.push(epoch);
        return data;
      },
      {
        optimizer: new Adam(model.parameters()),
        epochs: 2,
        onBatch: (p) => perEpoch.push(p.batchesPerEpoch),
      },
    );
    expect(epochsAsked).toEqual([0, 1]);
    expect(perEpoch).toEqual([3, 3, 3, 3, 3, 3]); // 180 samples in batches of 60, two epochs
  });
  it("stops between steps when the signal aborts, keeping the steps taken", async () => {
    const model = createMlp([2, 3], { seed: 0 });
    const controller = new AbortController();
    const result = await fit(model, toBatches(blobs(1), 10), {
      optimizer: new Adam(model.parameters()),
      epochs: 5,
      signal: controller.signal,
      onBatch: (p) => {
        if (p.step === 7) controller.abort();
      },
    });
    expect(result).toMatchObject({ aborted: true, steps: 7, epochs: [] });
  });
  it("a non-finite loss is an error naming the epoch and batch", async () => {
    const model = createMlp([2, 3], { seed: 0 });
    const bad: Batch[] = [
      { x: new Float32Array([1, 2]), y: [0], size: 1 },
      { x: new Float32Array([Number.NaN, 0]), y: [1], size: 1 },
    ];
    await expect(fit(model, bad, { optimizer: new SGD(model.parameters()) })).rejects.toThrow(
      "fit: the loss became NaN at epoch 0, batch 1",
    );
    // @ts-expect-error an optimizer is required
    await expect(fit(model, bad, {})).rejects.toThrow(/options.optimizer must be an optimizer/);
  });
});
