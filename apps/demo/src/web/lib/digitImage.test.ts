import { describe, expect, it } from "vitest";
import { centerOfMass, MNIST_SIDE, resampleArea, toMnistImage } from "./digitImage";

function canvas(w: number, h: number, paint: (x: number, y: number) => number): Float32Array {
  const a = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[y * w + x] = paint(x, y);
  return a;
}

describe("resampleArea", () => {
  it("averages the covered area, fractional overlaps weighted", () => {
    expect([...resampleArea(new Float32Array([1, 0, 0, 1]), 2, 2, 1, 1)]).toEqual([0.5]);
    // 3 -> 2: each output covers 1.5 pixels, the middle one split: (1 + 0.5) / 1.5 and (0.5 + 0) / 1.5
    expect([...resampleArea(new Float32Array([1, 1, 0]), 3, 1, 2, 1)]).toEqual([1, Math.fround(1 / 3)]);
    // upsampling repeats
    expect([...resampleArea(new Float32Array([0.25]), 1, 1, 2, 2)]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
  it("keeps the total ink (mean preserved)", () => {
    const src = canvas(37, 23, (x, y) => ((x * 7 + y * 3) % 11) / 10);
    const out = resampleArea(src, 37, 23, 10, 6);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 5);
  });
});

describe("toMnistImage", () => {
  it("fits the ink's longer side into 20 pixels and centres its mass", () => {
    // a 60 x 120 bar somewhere in the top-left of a 280 x 280 canvas
    const ink = canvas(280, 280, (x, y) => (x >= 20 && x < 80 && y >= 10 && y < 130 ? 1 : 0));
    const img = toMnistImage(ink, 280, 280);
    expect(img.length).toBe(784);
    let rows = 0;
    let cols = 0;
    for (let y = 0; y < MNIST_SIDE; y++) if (img.subarray(y * 28, y * 28 + 28).some((v) => v > 0)) rows++;
    for (let x = 0; x < MNIST_SIDE; x++) if ([...Array(28)].some((_, y) => img[y * 28 + x]! > 0)) cols++;
    expect(rows).toBe(20);
    expect(cols).toBe(10);
    const c = centerOfMass(img);
    expect(Math.abs(c.x - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(c.y - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...img)).toBe(1);
  });
  it("gives zeros for an empty canvas", () => {
    expect(toMnistImage(new Float32Array(100), 10, 10).every((v) => v === 0)).toBe(true);
  });
  it("rejects a size that does not fit", () => {
    expect(() => toMnistImage(new Float32Array(10), 4, 4)).toThrow("ink has 10 values, 4 x 4 needs 16");
  });
});

describe("toMnistImage on MNIST's own digits", () => {
  it("gives back a bundled test digit drawn 10x larger", async () => {
    const { testDigit } = await import("../worker/digits");
    for (const index of [0, 500, 1000, 1500]) {
      const { image } = await testDigit({ index });
      const big = canvas(280, 280, (x, y) => image[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!);
      const back = toMnistImage(big, 280, 280);
      // the same strokes, moved by at most one pixel: compare after the best shift of -1..1
      let best = Number.POSITIVE_INFINITY;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          let err = 0;
          for (let y = 1; y < 27; y++)
            for (let x = 1; x < 27; x++) err += Math.abs(back[(y + dy) * 28 + x + dx]! - image[y * 28 + x]!);
          best = Math.min(best, err);
        }
      }
      const ink = image.reduce((s, v) => s + v, 0);
      expect(best / ink).toBeLessThan(0.15);
    }
  });
});
