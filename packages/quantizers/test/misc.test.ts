import { describe, expect, it } from "vitest";
import {
  allocateCodes,
  calculateQParams,
  dequantize,
  granularityOf,
  quantizePerTensor,
  roundStochastic,
  validateQParams,
} from "../src/index";

describe("qparams plumbing", () => {
  it("calculateQParams carries axis and groupSize; granularityOf reads them", () => {
    const q = calculateQParams([-1, -2], [1, 2], {
      dtype: "qint8",
      qscheme: "per_channel_symmetric",
      axis: 1,
    });
    expect(q.axis).toBe(1);
    expect(granularityOf(q)).toBe("per_channel");
    expect(granularityOf({ ...q, groupSize: 8 })).toBe("per_group");
    expect(granularityOf(calculateQParams(-1, 1))).toBe("per_tensor");
    expect(() => validateQParams(q, [16, 2])).not.toThrow();
    expect(() => validateQParams(q, [16, 3])).toThrow(
      "qparams.scale has 2 values, expected 3 (one per channel along the axis)",
    );
  });

  it("allocateCodes picks the natural typed array", () => {
    expect(allocateCodes(1, 0, 255)).toBeInstanceOf(Uint8Array);
    expect(allocateCodes(1, -127, 127)).toBeInstanceOf(Int8Array);
    expect(allocateCodes(1, 0, 65535)).toBeInstanceOf(Uint16Array);
    expect(allocateCodes(1, -32768, 32767)).toBeInstanceOf(Int16Array);
    expect(allocateCodes(1, -70000, 70000)).toBeInstanceOf(Int32Array);
    expect(allocateCodes(1, 0, 255, "qint32")).toBeInstanceOf(Int32Array);
  });

  it("roundStochastic rounds up with probability equal to the fraction", () => {
    const draws = [0.1, 0.3, 0.6];
    let k = 0;
    const rng = { next: () => draws[k++]! };
    expect([roundStochastic(2.5, rng), roundStochastic(2.5, rng), roundStochastic(2.5, rng)]).toEqual([
      3, 3, 2,
    ]);
  });
});

describe("dequantize", () => {
  it("gives float32((q - zeroPoint) * scale), codes outside the range included", () => {
    const q = calculateQParams(-1, 2);
    expect(Array.from(dequantize(new Uint8Array([0, 85, 128, 255]), [4], q))).toEqual([
      -1,
      0,
      Math.fround(43 * q.scale[0]!),
      2,
    ]);
    // qint32: (q - zeroPoint) is rounded to float32 first, as fbgemm's Dequantize converts the int32 difference
    const wide = {
      ...calculateQParams(-1, 1, { dtype: "qint32" }),
      scale: Float32Array.of(1),
      zeroPoint: Int32Array.of(0),
    };
    const codes = Int32Array.of(2147483647, 16777217, -16777219);
    expect(Array.from(dequantize(codes, [3], wide))).toEqual([2147483648, 16777216, -16777220]);
    expect(Array.from(quantizePerTensor(Float32Array.of(2147483648), 1, 0, "qint32"))).toEqual([2147483647]);
  });
});
