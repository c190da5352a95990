import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { median, pairedRatios, summarize } from "./stats";

describe("median", () => {
  it("median(values) is the middle value of an odd count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([7])).toBe(7);
    expect(median([10, -5, 3, 8, 1])).toBe(3);
  });

  it("median(values) is the mean of the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, 100])).toBe(50.5);
  });

  it("sorts numerically, not as strings (10 > 9)", () => {
    expect(median([9, 10, 100])).toBe(10);
  });

  it("rejects an empty or non-finite sample with a RangeError naming the value", () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(/values\[1\] must be finite, got NaN/);
  });

  it("equals a slow reference (sort a copy, take the middle) and lies between min and max", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 41 }),
        (xs) => {
          const s = [...xs].sort((a, b) => a - b);
          const ref = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
          const got = summarize(xs);
          expect(got.median).toBe(ref);
          expect(got.min).toBe(s[0]);
          expect(got.max).toBe(s.at(-1));
          expect(got.n).toBe(xs.length);
          expect(got.min <= got.median && got.median <= got.max).toBe(true);
        },
      ),
    );
  });

  it("does not reorder its input", () => {
    const xs = new Float64Array([3, 1, 2]);
    median(xs);
    expect([...xs]).toEqual([3, 1, 2]);
  });
});

describe("pairedRatios", () => {
  it("takes reference / subject round by round, then the median, min and max", () => {
    // rounds: 2/1 = 2, 4/2 = 2, 3/1 = 3
    expect(pairedRatios([1, 2, 1], [2, 4, 3])).toEqual({ median: 2, min: 2, max: 3, n: 3 });
  });

  it("is unmoved by a slowdown that hits both sides of a round", () => {
    // The machine slows down 10x for rounds 3..6; the subject is always exactly twice as fast.
    const subject = [1, 1, 1, 10, 10, 10, 10];
    const reference = [2, 2, 2, 20, 20, 20, 20];
    expect(pairedRatios(subject, reference)).toEqual({ median: 2, min: 2, max: 2, n: 7 });
    // The min and max over the unpaired samples would suggest anything from 0.2x to 20x.
    expect(Math.min(...reference) / Math.max(...subject)).toBeCloseTo(0.2);
  });

  it("rejects unequal lengths, no rounds, and times that are not > 0", () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(/one time per round each, got 2 and 1/);
    expect(() => pairedRatios([], [])).toThrow(RangeError);
    expect(() => pairedRatios([0], [1])).toThrow(/subject\[0\] must be a time > 0, got 0/);
    expect(() => pairedRatios([1], [Number.POSITIVE_INFINITY])).toThrow(/reference\[0\]/);
  });
});
