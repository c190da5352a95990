import { describe, expect, it } from "vitest";
import { caseTiming, slug } from "./_cases";

describe("caseTiming (a package's bench row -> a result-file timing)", () => {
  it("keeps median/min/max, derives the throughput and strips the kernel qualifier from the op", () => {
    const t = caseTiming(
      { name: "quantizePerTensor quint8 (JS kernel)", medianMs: 4, minMs: 2, maxMs: 8, kernel: "js" },
      { id: "q/1M", impl: "quantkit", role: "quantkit", size: 4_000_000, sizeUnit: "elements", samples: 7 },
    );
    expect(t).toEqual({
      id: "q/1M",
      op: "quantizePerTensor quint8",
      impl: "quantkit",
      role: "quantkit",
      backend: "js",
      size: 4_000_000,
      sizeUnit: "elements",
      shape: null,
      params: { case: "quantizePerTensor quint8 (JS kernel)" },
      samples: 7,
      iterationsPerSample: 1,
      medianMs: 4,
      minMs: 2,
      maxMs: 8,
      // 4e6 values in 4 ms = 1000 Melem/s; in 8 ms = 500; in 2 ms = 2000.
      throughput: { unit: "Melem/s", median: 1000, min: 500, max: 2000 },
    });
  });

  it("returns null for a row without a usable time, and repairs min/max that do not bracket the median", () => {
    expect(
      caseTiming(
        { name: "x", medianMs: Number.NaN },
        { id: "x", impl: "q", role: "quantkit", size: 1, sizeUnit: "e" },
      ),
    ).toBeNull();
    expect(
      caseTiming({ name: "x" }, { id: "x", impl: "q", role: "quantkit", size: 1, sizeUnit: "e" }),
    ).toBeNull();
    const t = caseTiming(
      { name: "x", medianMs: 5, minMs: 6 },
      { id: "x", impl: "q", role: "quantkit", size: 1, sizeUnit: "e", throughput: null },
    )!;
    expect([t.minMs, t.medianMs, t.maxMs]).toEqual([5, 5, 5]);
    expect(t.throughput).toBeNull();
  });
});

describe("slug", () => {
  it("turns a case name into an id part", () => {
    expect(slug("copy: Float32Array.prototype.set")).toBe("copy-float32array.prototype.set");
    expect(slug("  quantize per group qint4 (groupSize 128) ")).toBe(
      "quantize-per-group-qint4-groupsize-128",
    );
  });
});
