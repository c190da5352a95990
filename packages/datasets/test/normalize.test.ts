import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDataset, type Dataset, normalize } from "../src/index";

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

describe("degenerate numbers and empty sets are errors where they enter (items 5, 18)", () => {
  const ds = createDataset(new Float32Array([0, 0.5, 1, 0.25]), new Uint8Array([1, 2]), 1, 2);
  it("normalize rejects a std or mean that makes a pixel Infinity or NaN in float32", () => {
    expect(() => normalize(ds, { std: 1e-45 })).toThrow(
      /normalize: mean 0.1307 and std 1e-45 map the pixel value 0 to -Infinity in float32/,
    );
    expect(() => normalize(ds, { mean: 1e39 })).toThrow(/mean must be finite in float32, got 1e\+39/);
    expect(() => normalize(ds, { std: 1e-50 })).toThrow(/std must be positive and finite in float32/);
    expect(() => normalize(ds, { sdt: 1 } as never)).toThrow(/unknown key "sdt"/);
    expect(normalize(ds, { mean: 0.5, std: 0.5 }).images).toEqual(new Float32Array([-1, 0, 1, -0.5]));
  });
});
