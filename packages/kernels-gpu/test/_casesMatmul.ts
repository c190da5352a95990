/**
 * The conformance cases of matmulInteger (known answers, zero points, transB, sums that overflow
 * float32's 2^24 and the largest magnitudes at k = 16,384) and matmulF32 (a known answer, and a
 * random product within a float32 accumulation bound of the float64 sum).
 */
import type { ConformanceCase } from "./_conformanceCase";
import { refMatmulF64, refMatmulInteger } from "./_reference";
import { fillWith, type TestRng } from "./_testRng";

/** Whether summing these products in float32, in order, loses bits (the naive GPU kernel's result). */
export function float32SumIsInexact(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  za: number,
  zb: number,
): boolean {
  let f = 0;
  let exact = 0;
  for (let i = 0; i < a.length; i++) {
    const p = (a[i]! - za) * (b[i]! - zb);
    f = Math.fround(f + p);
    exact += p;
  }
  return f !== exact;
}

/** The matmulInteger cases, drawing their random operands from `rng`. */
export function matmulIntegerCases(rng: TestRng): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const mm = (
    name: string,
    a: Int8Array | Uint8Array,
    b: Int8Array | Uint8Array,
    o: Parameters<typeof refMatmulInteger>[2],
    expected?: ArrayLike<number>,
  ) =>
    cases.push({
      name,
      op: "matmulInteger",
      args: [a, b, o],
      expected: expected ?? refMatmulInteger(a, b, o),
      type: "Int32Array",
    });

  // Worked by hand: [[1, 2], [3, 4]] x [[1, -1], [2, 0]].
  mm(
    "matmulInteger known answer 2x2",
    new Uint8Array([1, 2, 3, 4]),
    new Int8Array([1, -1, 2, 0]),
    { m: 2, k: 2, n: 2 },
    [5, -1, 11, -3],
  );
  // With zero points: rows [0, 1, 2] and [3, 4, 5] (a - 1) times B.
  mm(
    "matmulInteger known answer with aZeroPoint",
    new Uint8Array([1, 2, 3, 4, 5, 6]),
    new Int8Array([1, -1, 0, 2, -3, 1]),
    { m: 2, k: 3, n: 2, aZeroPoint: 1 },
    [-6, 4, -12, 10],
  );
  {
    const m = 5;
    const k = 37;
    const n = 7;
    const a = fillWith(new Uint8Array(m * k), () => rng.int(0, 255));
    const b = fillWith(new Int8Array(k * n), () => rng.int(-128, 127));
    mm("matmulInteger uint8 x int8, zero points 131 and -3", a, b, {
      m,
      k,
      n,
      aZeroPoint: 131,
      bZeroPoint: -3,
    });
  }
  {
    const m = 4;
    const k = 300;
    const n = 6;
    const a = fillWith(new Int8Array(m * k), () => rng.int(-128, 127));
    const b = fillWith(new Uint8Array(n * k), () => rng.int(0, 255));
    const bZeroPoint = Int32Array.from([0, 255, 128, 7, 200, 33]);
    mm("matmulInteger int8 x uint8, transB, per-column bZeroPoint", a, b, {
      m,
      k,
      n,
      aZeroPoint: -7,
      bZeroPoint,
      transB: true,
    });
  }
  {
    // uint8 - 255 against uint8 - 0: |product| up to 65,025, blocks of 258; k = 259 needs two.
    const m = 3;
    const k = 259;
    const n = 4;
    const a = fillWith(new Uint8Array(m * k), (i) => (i % 5 === 0 ? rng.int(0, 255) : 0));
    const b = fillWith(new Uint8Array(k * n), (i) => (i % 7 === 0 ? rng.int(0, 255) : 255));
    mm("matmulInteger uint8 x uint8, worst-case products, k just past one block", a, b, {
      m,
      k,
      n,
      aZeroPoint: 255,
    });
  }
  {
    const m = 3;
    const k = 2048;
    const n = 5;
    const a = fillWith(new Uint8Array(m * k), () => rng.int(200, 255));
    const b = fillWith(new Int8Array(k * n), () => rng.int(100, 127));
    mm("matmulInteger k = 2,048 (float32 sums alone lose bits here)", a, b, { m, k, n });
  }
  {
    const k = 16384;
    mm(
      "matmulInteger k = 16,384, all -128 against 255",
      new Int8Array(2 * k).fill(-128),
      new Uint8Array(k * 3).fill(255),
      { m: 2, k, n: 3 },
      new Array(6).fill(-128 * 255 * k),
    );
    mm(
      "matmulInteger k = 16,384, all 127",
      new Int8Array(2 * k).fill(127),
      new Int8Array(k * 2).fill(127),
      { m: 2, k, n: 2 },
      new Array(4).fill(127 * 127 * k),
    );
    mm(
      "matmulInteger k = 16,384, uint8 0 - 255 against 255 (largest magnitude)",
      new Uint8Array(k),
      new Uint8Array(k * 2).fill(255),
      { m: 1, k, n: 2, aZeroPoint: 255 },
      [-255 * 255 * k, -255 * 255 * k],
    );
  }
  return cases;
}

/** The matmulF32 cases, drawing their random operands from `rng`. */
export function matmulF32Cases(rng: TestRng): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  // matmulF32: exact on small integers (known answer), close to the float64 sum otherwise.
  cases.push({
    name: "matmulF32 known answer with bias",
    op: "matmulF32",
    args: [
      new Float32Array([1, 2, 3, 4]),
      new Float32Array([1, -1, 2, 0]),
      { m: 2, k: 2, n: 2, bias: new Float32Array([0.5, 10]) },
    ],
    expected: [5.5, 9, 11.5, 7],
    type: "Float32Array",
  });
  {
    const m = 7;
    const k = 300;
    const n = 5;
    const a = new Float32Array(m * k).map(() => rng.next() * 2 - 1);
    const b = new Float32Array(n * k).map(() => rng.next() * 2 - 1);
    const bias = new Float32Array(n).map(() => rng.next());
    const o = { m, k, n, transB: true, bias };
    const abs = refMatmulF64(a.map(Math.abs), b.map(Math.abs), {
      m,
      k,
      n,
      transB: true,
      bias: bias.map(Math.abs),
    });
    // float32 accumulation in any order: |error| <= k * 2^-23 * sum |a||b| (a loose, safe bound).
    cases.push({
      name: "matmulF32 transB with bias, random",
      op: "matmulF32",
      args: [a, b, o],
      expected: refMatmulF64(a, b, o),
      tolerance: abs.map((v) => v * (k + 1) * 2 ** -23),
      type: "Float32Array",
    });
  }
  return cases;
}
