import { createMlp } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { calibrate, prepare } from "../src/index";
import { batchesOf, randomInput } from "./_fixtures";

describe("calibrate", () => {
  it("reports progress, stops at maxBatches and on abort, and rejects empty input", async () => {
    const p = prepare(createMlp([4, 3], { seed: 0 }));
    const batches = batchesOf(randomInput(50 * 4, 0), new Uint8Array(50), [4], 10);
    const seen: number[] = [];
    const r = await calibrate(p, batches, {
      maxBatches: 3,
      onProgress: ({ batch, batches: total, samples }) => seen.push(batch, total ?? -1, samples),
    });
    expect(r).toEqual({ batches: 3, samples: 30, aborted: false });
    expect(seen).toEqual([0, 3, 10, 1, 3, 20, 2, 3, 30]); // an array has a length: min(5 batches, maxBatches 3)
    const controller = new AbortController();
    controller.abort();
    expect(await calibrate(p, batches, { signal: controller.signal })).toEqual({
      batches: 0,
      samples: 0,
      aborted: true,
    });
    await expect(calibrate(p, [])).rejects.toThrow(/hold no samples/);
    await expect(calibrate(p, null as never)).rejects.toThrow(TypeError);
  });

  it("calibration does not change the float model's outputs (observers pass values through)", async () => {
    const mlp = createMlp([5, 4, 2], { seed: 3 });
    const p = prepare(mlp);
    const x = randomInput(6 * 5, 9);
    const before = mlp.eval().forward(x, [6, 5]).data;
    const after = p.forward(x, [6, 5]).data;
    expect(Array.from(after)).toEqual(Array.from(before));
  });
});
