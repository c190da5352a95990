import { describe, expect, it } from "vitest";
import { measureSet, ratioOf, toTiming } from "./measure";

/** A fake clock: each variant advances it by a fixed cost per call, so the times are known exactly. */
function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("measureSet", () => {
  it("times each variant per call, batching calls to fill minSampleMs", async () => {
    const clock = fakeClock();
    const out = await measureSet(
      [
        { id: "fast", run: () => clock.advance(0.5) },
        { id: "slow", run: () => clock.advance(4) },
      ],
      { warmupRounds: 1, repetitions: 5, minSampleMs: 10, now: clock.now },
    );
    expect(out.get("fast")!.iterationsPerSample).toBe(20);
    expect(out.get("slow")!.iterationsPerSample).toBe(3);
    expect([...out.get("fast")!.samplesMs]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect([...out.get("slow")!.samplesMs]).toEqual([4, 4, 4, 4, 4]);
  });

  it("sizes the batch from the fastest probe, so that one descheduled call does not shrink it", () => {
    const clock = fakeClock();
    let calls = 0;
    // The first call is slow (cold JIT, or the process lost its core); then 0.5 ms each.
    const run = () => clock.advance(++calls === 1 ? 50 : 0.5);
    return measureSet([{ id: "x", run }], {
      warmupRounds: 0,
      repetitions: 3,
      minSampleMs: 10,
      now: clock.now,
    }).then((out) => {
      expect(out.get("x")!.iterationsPerSample).toBe(20);
      expect([...out.get("x")!.samplesMs]).toEqual([0.5, 0.5, 0.5]);
    });
  });

  it("interleaves the variants and rotates which goes first in each round", async () => {
    const clock = fakeClock();
    const order: string[] = [];
    const variant = (id: string) => ({
      id,
      run: () => {
        order.push(id);
        clock.advance(100);
      },
    });
    await measureSet([variant("a"), variant("b"), variant("c")], {
      warmupRounds: 0,
      repetitions: 3,
      minSampleMs: 1,
      now: clock.now,
    });
    // A first call and one probe each, then rounds: abc, bca, cab.
    expect(order).toEqual(["a", "a", "b", "b", "c", "c", "a", "b", "c", "b", "c", "a", "c", "a", "b"]);
  });

  it("awaits a variant that returns a promise", async () => {
    const clock = fakeClock();
    let settled = 0;
    const out = await measureSet(
      [
        {
          id: "async",
          run: async () => {
            await Promise.resolve();
            clock.advance(2);
            settled++;
          },
        },
      ],
      { warmupRounds: 0, repetitions: 2, minSampleMs: 4, now: clock.now },
    );
    expect([...out.get("async")!.samplesMs]).toEqual([2, 2]);
    expect(settled).toBe(1 + 3 + 2 + 2 * 2); // first call, 3 probes, calibration batch of 2, two samples of 2
  });

  it("gives the round-by-round samples that a paired ratio needs", async () => {
    const clock = fakeClock();
    let round = 0;
    // Both variants slow down together in later rounds; the subject stays 3x faster.
    const out = await measureSet(
      [
        { id: "subject", run: () => clock.advance(1 + round) },
        {
          id: "reference",
          run: () => {
            clock.advance(3 * (1 + round));
          },
        },
      ],
      { warmupRounds: 0, repetitions: 4, minSampleMs: 0, now: clock.now, onRound: (done) => (round = done) },
    );
    const spec = {
      op: "x",
      impl: "q",
      role: "quantkit" as const,
      backend: "js",
      size: 1000,
      sizeUnit: "elements",
    };
    const s = {
      timing: toTiming({ ...spec, id: "subject" }, out.get("subject")!),
      samples: out.get("subject")!,
    };
    const r = {
      timing: toTiming({ ...spec, id: "reference" }, out.get("reference")!),
      samples: out.get("reference")!,
    };
    expect(ratioOf("r", "subject / reference", s, r)).toEqual({
      id: "r",
      label: "subject / reference",
      subject: "subject",
      reference: "reference",
      median: 3,
      min: 3,
      max: 3,
      pairs: 4,
      headline: false,
    });
  });

  it("stops between batches when the signal aborts", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let calls = 0;
    const run = measureSet(
      [
        {
          id: "x",
          run: () => {
            clock.advance(1);
            if (++calls === 5) controller.abort(new Error("interrupted"));
          },
        },
      ],
      { warmupRounds: 0, repetitions: 100, minSampleMs: 0, now: clock.now, signal: controller.signal },
    );
    await expect(run).rejects.toThrow("interrupted");
    expect(calls).toBe(5);
  });

  it("rejects bad options naming them", async () => {
    const v = [{ id: "a", run: () => {} }];
    await expect(measureSet([], { warmupRounds: 0, repetitions: 1, minSampleMs: 0 })).rejects.toThrow(
      /variants/,
    );
    await expect(measureSet(v, { warmupRounds: -1, repetitions: 1, minSampleMs: 0 })).rejects.toThrow(
      /warmupRounds must be an integer >= 0, got -1/,
    );
    await expect(measureSet(v, { warmupRounds: 0, repetitions: 0, minSampleMs: 0 })).rejects.toThrow(
      /repetitions must be an integer >= 1, got 0/,
    );
    await expect(
      measureSet([...v, ...v], { warmupRounds: 0, repetitions: 1, minSampleMs: 0 }),
    ).rejects.toThrow(/unique, got "a" twice/);
  });
});

describe("toTiming", () => {
  it("gives median/min/max per call and the throughput, min throughput from the max time", () => {
    const t = toTiming(
      {
        id: "copy/1M",
        op: "copy",
        impl: "copy",
        role: "baseline",
        backend: "js",
        size: 1_000_000,
        sizeUnit: "elements",
        throughput: { unit: "Melem/s", per: 1e6 },
      },
      { id: "copy/1M", iterationsPerSample: 4, samplesMs: Float64Array.from([2, 1, 4]) },
    );
    expect(t).toMatchObject({
      medianMs: 2,
      minMs: 1,
      maxMs: 4,
      samples: 3,
      iterationsPerSample: 4,
      shape: null,
    });
    // 1e6 elements in 2 ms = 500 Melem/s; in 4 ms = 250; in 1 ms = 1000.
    expect(t.throughput).toEqual({ unit: "Melem/s", median: 500, min: 250, max: 1000 });
  });
});
