import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batches, createDataset, type Dataset } from "../src/index";

/** n images of 2x2 whose pixels all hold the image's index, labels index % 10: every row is traceable. */
function indexed(n: number): Dataset {
  const images = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) images.fill(i, i * 4, i * 4 + 4);
  return createDataset(
    images,
    Uint8Array.from({ length: n }, (_, i) => i % 10),
    2,
    2,
  );
}

describe("batches", () => {
  it("without shuffle yields views in order, the last batch smaller", () => {
    const ds = indexed(7);
    const loader = batches(ds, { batchSize: 3 });
    expect([loader.length, loader.samples]).toEqual([3, 7]);
    const got = [...loader];
    expect(got.map((b) => b.size)).toEqual([3, 3, 1]);
    expect(got[2]!.x.buffer).toBe(ds.images.buffer);
    expect(Array.from(got[1]!.y)).toEqual([3, 4, 5]);
    expect(got[1]!.shape).toEqual([3, 4]);
    expect(batches(ds, { batchSize: 3, dropLast: true }).length).toBe(2);
    expect([...batches(ds, { batchSize: 3, dropLast: true })].length).toBe(2);
    expect(batches(ds, { batchSize: 7, layout: "nchw" }).length).toBe(1);
    expect([...batches(ds, { batchSize: 2, layout: "nchw" })][0]!.shape).toEqual([2, 1, 2, 2]);
  });
  it("with shuffle visits every image once an epoch, in a new seeded order each epoch", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(1000),
        (n, bs, seed) => {
          const ds = indexed(n);
          const loader = batches(ds, { batchSize: bs, shuffle: true, seed });
          const epochOrder = () => {
            const seen: number[] = [];
            for (const { x, y, size } of loader) {
              expect(x.length).toBe(size * 4);
              for (let i = 0; i < size; i++) {
                const idx = x[i * 4]!;
                expect(y[i]).toBe(idx % 10);
                seen.push(idx);
              }
            }
            return seen;
          };
          const e1 = epochOrder();
          const e2 = epochOrder();
          expect([...e1].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          expect([...e2].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          // the same seed replays the same epochs
          const replay = batches(ds, { batchSize: bs, shuffle: true, seed });
          expect([...replay].flatMap((b) => Array.from(b.y))).toEqual(e1.map((i) => i % 10));
        },
      ),
      { numRuns: 50 },
    );
    const ds = indexed(50);
    const loader = batches(ds, { batchSize: 50, shuffle: true, seed: 3 });
    const a = Array.from([...loader][0]!.x);
    const b = Array.from([...loader][0]!.x);
    expect(a).not.toEqual(b);
  });
  it("validates its options", () => {
    expect(() => batches(indexed(2), { batchSize: 0 })).toThrow(
      "batchSize must be a positive integer, got 0",
    );
    // @ts-expect-error not a layout
    expect(() => batches(indexed(2), { layout: "nhwc" })).toThrow(/layout must be/);
  });
});

describe("degenerate numbers and empty sets are errors where they enter (items 5, 18)", () => {
  const ds = createDataset(new Float32Array([0, 0.5, 1, 0.25]), new Uint8Array([1, 2]), 1, 2);
  it("datasetFromIdx and batches reject unknown option keys", () => {
    expect(() => batches(ds, { batch: 2 } as never)).toThrow(/batches options has an unknown key "batch"/);
  });
});
