import { describe, expect, it } from "vitest";
import { fromScratch, fromScratchReport } from "../examples/from-scratch";

describe("the deck's experiments", () => {
  it("from scratch: the deck's formulas and MinMaxObserver + quantize give the same integers", () => {
    const r = fromScratch();
    expect(r.rows).toHaveLength(20);
    expect(r.observerAgrees).toEqual({ asymmetric: true, symmetric: true });
    const xs = r.rows.map((row) => row.x);
    const [mn, mx] = [Math.min(...xs), Math.max(...xs)];
    expect(r.asymmetric.scale).toBe(Math.fround(Math.fround(mx - mn) / 255));
    expect(r.asymmetric.zeroPoint).toBe(-Math.round(mn / r.asymmetric.scale));
    for (const row of r.rows) {
      expect(Math.abs(row.asymmetricDequantized - row.x)).toBeLessThanOrEqual(r.asymmetric.scale / 2 + 1e-4);
      expect(Math.abs(row.symmetricDequantized - row.x)).toBeLessThanOrEqual(r.symmetric.scale / 2 + 1e-4);
    }
    // rounding noise about scale^2 / 12; symmetric wastes the unused negative codes: a coarser scale
    expect(r.symmetric.scale).toBeGreaterThan(r.asymmetric.scale);
    expect(r.asymmetric.mse).toBeLessThan(r.asymmetric.scale ** 2 / 4);
    expect(fromScratchReport()).toContain("same integers: asymmetric true, symmetric true");
  });
});
