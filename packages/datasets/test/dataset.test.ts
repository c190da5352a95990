import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batches, createDataset, type Dataset, normalize, shuffleDataset, sliceDataset } from "../src/index";

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

describe("createDataset", () => {
  it("checks that images and labels agree", () => {
    expect(indexed(3).count).toBe(3);
    expect(() => createDataset(new Float32Array(8), new Uint8Array(3), 2, 2)).toThrow(
      "labels count 3 != images count 2",
    );
    expect(() => createDataset(new Float32Array(7), new Uint8Array(2), 2, 2)).toThrow(
      /7 values, not a whole number of 2x2 images/,
    );
    expect(() => createDataset(new Float32Array(4), new Uint8Array(1), 0, 2)).toThrow(
      "rows must be a positive integer, got 0",
    );
    // @ts-expect-error labels must be a Uint8Array
    expect(() => createDataset(new Float32Array(4), [1], 2, 2)).toThrow(TypeError);
  });
});

describe("normalize", () => {
  it("computes (x - 0.1307) / 0.3081 in float32 like torchvision", () => {
    const ds = normalize(createDataset(new Float32Array([0, 1, 0.5, 0.1307]), new Uint8Array([0]), 2, 2));
    // torch: (torch.tensor([0., 1., .5]) - 0.1307) / 0.3081
    expect(ds.images[0]).toBeCloseTo(-0.42421291, 6);
    expect(ds.images[1]).toBeCloseTo(2.82148653, 6);
    expect(ds.images[2]).toBeCloseTo(1.19863681, 6);
    expect(ds.images[3]).toBe(0);
  });
  it("is float32 arithmetic exactly: each step rounded to float32 (checked against Float32Array storage)", () => {
    fc.assert(
      fc.property(fc.float({ min: 0, max: 1, noNaN: true }), (x) => {
        const t = new Float32Array(3);
        t[0] = x;
        t[1] = t[0] - Math.fround(0.1307);
        t[2] = t[1] / Math.fround(0.3081);
        const ds = normalize(createDataset(new Float32Array([x]), new Uint8Array([0]), 1, 1));
        expect(ds.images[0]).toBe(t[2]);
      }),
    );
  });
  it("allocates new images unless inPlace, and validates std", () => {
    const src = indexed(2);
    const out = normalize(src, { mean: 1, std: 2 });
    expect(out.images).not.toBe(src.images);
    expect(out.labels).toBe(src.labels);
    expect(Array.from(out.images)).toEqual([-0.5, -0.5, -0.5, -0.5, 0, 0, 0, 0]);
    expect(normalize(src, { mean: 1, std: 2, inPlace: true })).toBe(src);
    expect(src.images[0]).toBe(-0.5);
    expect(() => normalize(src, { std: 0 })).toThrow("std must be positive and finite in float32, got 0");
  });
});

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

describe("shuffleDataset and sliceDataset", () => {
  it("shuffleDataset permutes images with their labels, reproducibly", () => {
    const ds = indexed(20);
    const s = shuffleDataset(ds, 5);
    const order = Array.from({ length: 20 }, (_, i) => s.images[i * 4]!);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (let i = 0; i < 20; i++) expect(s.labels[i]).toBe(order[i]! % 10);
    expect(shuffleDataset(ds, 5).images).toEqual(s.images);
  });
  it("sliceDataset returns views and accepts negative indices", () => {
    const ds = indexed(10);
    const s = sliceDataset(ds, -3);
    expect(s.count).toBe(3);
    expect(s.images[0]).toBe(7);
    expect(s.images.buffer).toBe(ds.images.buffer);
    expect(sliceDataset(ds, 2, 4).labels).toEqual(new Uint8Array([2, 3]));
    expect(sliceDataset(ds, 8, 2).count).toBe(0);
    expect(() => sliceDataset(ds, 1.5)).toThrow("start must be an integer, got 1.5");
  });
});
