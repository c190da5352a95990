/**
 * The test-data generator shared with test/vectors/torch_observers.py: an LCG and IEEE double arithmetic
 * rounded once to float32, so both languages build the same float32 batches bit for bit.
 */
export interface BatchSpec {
  seed: number;
  shape: number[];
  dist: "uniform" | "bell" | "constant";
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
  value?: number;
  outliers?: [number, number][];
}

const SQRT3 = 1.7320508075688772;

export function makeBatch(spec: BatchSpec): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  let s = spec.seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    if (spec.dist === "uniform") v = spec.low! + (spec.high! - spec.low!) * u();
    else if (spec.dist === "bell") v = spec.mean! + spec.std! * (u() + u() + (u() + u()) - 2) * SQRT3;
    else v = spec.value!;
    out[i] = v;
  }
  for (const [i, v] of spec.outliers ?? []) out[i] = v;
  return out;
}
