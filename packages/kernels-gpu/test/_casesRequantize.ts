/** The conformance cases of requantize: every int32 corner, every multiplier sign, shifts -31..30. */
import type { ConformanceCase } from "./_conformanceCase";
import { refRequantize } from "./_reference";
import type { TestRng } from "./_testRng";

/** The requantize cases (per channel to uint8, per tensor to int8), drawing from `rng`. */
export function requantizeCases(rng: TestRng): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  {
    const channels = 16;
    const rows = 40;
    const specials = [
      0,
      1,
      -1,
      2147483647,
      -2147483648,
      1 << 30,
      -(1 << 30),
      4095,
      -4096,
      123456789,
      -987654321,
      65535,
    ];
    const acc = new Int32Array(channels * rows).map((_, i) =>
      i < specials.length * 3 ? specials[i % specials.length]! : rng.int32() >> rng.int(0, 30),
    );
    // The contract's multipliers are 0 or positive (negative ones are refused by every backend).
    const multiplier = Int32Array.from([
      2147483647,
      2147483646,
      1 << 30,
      0,
      1,
      2,
      1518500250,
      (1 << 30) + 1,
      ...Array.from({ length: 8 }, () => rng.int32() & 0x7fffffff),
    ]);
    const shift = Int32Array.from([30, -31, 0, 5, -5, 1, -1, 12, -12, 20, -20, 29, -30, 3, -7, 0]);
    const p = { multiplier, shift, outputZeroPoint: 3, outputMin: 0, outputMax: 255, channels };
    cases.push({
      name: "requantize per channel, int32 and multiplier corners, uint8 out",
      op: "requantize",
      args: [acc, p],
      expected: refRequantize(acc, p),
      type: "Uint8Array",
    });
    const p8 = {
      multiplier: Int32Array.from([1395864371]),
      shift: Int32Array.from([-9]),
      outputZeroPoint: -5,
      outputMin: -128,
      outputMax: 127,
      channels,
    };
    const acc8 = new Int32Array(channels * rows).map(() => rng.int(-300_000, 300_000));
    cases.push({
      name: "requantize per tensor to int8",
      op: "requantize",
      args: [acc8, p8],
      expected: refRequantize(acc8, p8),
      type: "Int8Array",
    });
  }
  return cases;
}
