/**
 * What verifying prepared layers costs (issue 15): every quantizedLinear call checksums the layer's
 * weight, bias, multiplier and shift to see in-place edits. Measured on the MNIST MLP's layers
 * (784 -> 100, 100 -> 100, 100 -> 10) at batch 1, 10 and 2004, WebAssembly SIMD, one thread, with the
 * check on and off in the same rounds (interleaved, warm-up first); the ratio is the median of
 * per-round ratios.
 *
 * Run from the repository root:
 *   packages/kernels/node_modules/.bin/tsx --conditions=@quantkit/source packages/kernels/bench/planCheck.bench.ts
 */
import { _setPlanVerification } from "../src/_plans";
import {
  createCpuKernels,
  initWasmKernels,
  prepareQuantizedLinear,
  type QuantizedLinearLayer,
} from "../src/index";

export interface PlanCheckResult {
  batch: number;
  /** Median milliseconds of one MLP forward with the check, and without. */
  checkedMs: number;
  uncheckedMs: number;
  /** Median of per-round checked / unchecked. */
  ratio: number;
}

function layer(inF: number, outF: number, seed: number): QuantizedLinearLayer {
  let s = seed;
  const w = new Int8Array(inF * outF).map(() => {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    return s >> 24;
  });
  return prepareQuantizedLinear({
    weight: w,
    inFeatures: inF,
    outFeatures: outF,
    weightScale: 0.01,
    inputScale: 0.02,
    inputZeroPoint: 0,
    bias: new Float32Array(outF),
    outputScale: 0.05,
    outputZeroPoint: 0,
    relu: true,
  });
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;

export async function benchPlanCheck(rounds = 25): Promise<PlanCheckResult[]> {
  await initWasmKernels();
  const kernels = createCpuKernels();
  const layers = [layer(784, 100, 1), layer(100, 100, 2), layer(100, 10, 3)];
  const results: PlanCheckResult[] = [];
  for (const batch of [1, 10, 2004]) {
    const x = new Uint8Array(batch * 784).map((_, i) => (i * 31) % 256);
    const reps = Math.max(1, Math.round(4000 / batch));
    const forward = () => {
      let h: Uint8Array = x;
      for (const l of layers) h = kernels.quantizedLinear(h, l, batch);
      return h;
    };
    const time = (on: boolean) => {
      _setPlanVerification(on);
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) forward();
      return (performance.now() - t0) / reps;
    };
    for (let w = 0; w < 3; w++) time(w % 2 === 0);
    const on: number[] = [];
    const off: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const first = r % 2 === 0;
      const a = time(first);
      const b = time(!first);
      const [checked, unchecked] = first ? [a, b] : [b, a];
      on.push(checked);
      off.push(unchecked);
      ratios.push(checked / unchecked);
    }
    results.push({ batch, checkedMs: median(on), uncheckedMs: median(off), ratio: median(ratios) });
  }
  _setPlanVerification(true);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchPlanCheck()) {
    console.log(
      `batch ${r.batch}: checked ${r.checkedMs.toFixed(4)} ms, unchecked ${r.uncheckedMs.toFixed(4)} ms, ratio ${r.ratio.toFixed(3)}`,
    );
  }
}
