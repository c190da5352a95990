// Timings and accuracy of the weight-only methods on one transformer-sized layer, in one run:
//   pnpm --filter @quantkit/weights bench [--n 3072] [--k 768] [--rows 128] [--repeats 5]
// The layer: weight [N, K] = [3072, 768] (768 inputs -> 3072 outputs, GPT-2's MLP up-projection, i.e. ONNX
// MatMul B [768, 3072]), Gaussian (std 0.02) with 1% outliers; 128 calibration rows of seeded correlated
// activations (rank-16 factors + noise, lognormal channel scales: see test/_activations.ts) and 512
// held-out rows of the same distribution. W4, blocks of 32, asymmetric, float32 scales.
// Each method: `warmup` untimed runs then `repeats` timed ones: median, min and max of wall-clock time and
// of this process's CPU time (user + system), since other processes may share the two cores.
// Accuracy: layer-output MSE mean((x W^T - x Wq^T)^2) on the calibration rows and on the held-out rows,
// and its ratio to RTN's.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Rng } from "@quantkit/tensor";
import { awq, gptq, hqq, quantizeBlockwise } from "../src/index";
import { correlatedActivations, outputMse } from "../test/_activations";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "3072" },
    k: { type: "string", default: "768" },
    rows: { type: "string", default: "128" },
    repeats: { type: "string", default: "5" },
  },
});
const N = Number(values.n);
const K = Number(values.k);
const rows = Number(values.rows);
const repeats = Number(values.repeats);

const rng = new Rng(2026);
const weight = Float32Array.from({ length: N * K }, () =>
  rng.next() < 0.01 ? rng.normal(0, 0.1) : rng.normal(0, 0.02),
);
const acts = correlatedActivations(7, K);
const calibration = acts.sample(rows);
const heldOut = acts.sample(512);
const block = { bits: 4, blockSize: 32 } as const;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

interface Row {
  method: string;
  wall: number[];
  cpu: number[];
  mseCalib: number;
  mseHeldOut: number;
}

function measure(
  method: string,
  run: () => { dequantized: Float32Array; equivalentWeight?: Float32Array },
  reps: number,
  warmup: number,
): Row {
  let result = run();
  for (let i = 1; i < warmup; i++) result = run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    result = run();
    wall.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  const wq = result.equivalentWeight ?? result.dequantized;
  return {
    method,
    wall,
    cpu,
    mseCalib: outputMse(calibration, weight, wq, N, K),
    mseHeldOut: outputMse(heldOut, weight, wq, N, K),
  };
}

const shape: [number, number] = [N, K];
console.log(
  `weights bench: N ${N}, K ${K}, ${rows} calibration rows, W4 g32 asymmetric; ${cpus()[0]?.model} x ${cpus().length}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const rowsOut: Row[] = [];
const add = (r: Row) => {
  rowsOut.push(r);
  console.log(`  ${r.method}: ${median(r.wall).toFixed(0)} ms wall, ${median(r.cpu).toFixed(0)} ms cpu`);
};
add(measure("rtn", () => quantizeBlockwise(weight, shape, block), repeats, 2));
add(measure("gptq", () => gptq(weight, shape, calibration, block), repeats, 1));
add(
  measure("gptq act-order", () => gptq(weight, shape, calibration, { ...block, actOrder: true }), repeats, 1),
);
add(measure("awq", () => awq(weight, shape, calibration, block), Math.max(1, Math.floor(repeats / 2)), 1));
add(measure("awq no clip", () => awq(weight, shape, calibration, { ...block, clip: false }), 1, 0));
add(measure("hqq", () => hqq(weight, shape, block), repeats, 1));

const rtn = rowsOut[0]!;
console.log(
  "\n| method | wall ms (median, min-max) | CPU ms (median) | output MSE, calibration | vs RTN | output MSE, held-out | vs RTN |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of rowsOut) {
  console.log(
    `| ${r.method} | ${median(r.wall).toFixed(0)} (${Math.min(...r.wall).toFixed(0)}-${Math.max(...r.wall).toFixed(0)}) | ${median(r.cpu).toFixed(0)} | ${r.mseCalib.toExponential(3)} | ${(r.mseCalib / rtn.mseCalib).toFixed(3)} | ${r.mseHeldOut.toExponential(3)} | ${(r.mseHeldOut / rtn.mseHeldOut).toFixed(3)} |`,
  );
}
