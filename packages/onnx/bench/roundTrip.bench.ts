// Read + write time and memory of an unchanged round trip on the real models (median of 15 after 3
// warm-ups). Run: pnpm --filter @quantkit/onnx bench  (node --expose-gc for the memory figures).
import { readFileSync } from "node:fs";
import { readModel, writeModel } from "../src/index";
import { MODELS, type ModelName } from "../test/_fixtures";

const gc = (globalThis as { gc?: () => void }).gc;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const name of Object.keys(MODELS) as ModelName[]) {
  const bytes = new Uint8Array(readFileSync(MODELS[name]));
  const reads: number[] = [];
  const writes: number[] = [];
  for (let i = 0; i < 18; i++) {
    const t0 = performance.now();
    const model = readModel(bytes, { name });
    const t1 = performance.now();
    writeModel(model);
    const t2 = performance.now();
    if (i >= 3) {
      reads.push(t1 - t0);
      writes.push(t2 - t1);
    }
  }
  gc?.();
  const before = process.memoryUsage();
  let peakHeap = 0;
  let peakBuffers = 0;
  const model = readModel(bytes, { name });
  const mid = process.memoryUsage();
  const out = writeModel(model);
  const after = process.memoryUsage();
  peakHeap = Math.max(mid.heapUsed, after.heapUsed) - before.heapUsed;
  peakBuffers = Math.max(mid.arrayBuffers, after.arrayBuffers) - before.arrayBuffers;
  console.log(
    `${name.padEnd(18)} ${(bytes.length / 1e6).toFixed(2).padStart(6)} MB  read ${median(reads).toFixed(1).padStart(6)} ms  write ${median(
      writes,
    )
      .toFixed(1)
      .padStart(
        6,
      )} ms  +heap ${(peakHeap / 1e6).toFixed(1)} MB  +buffers ${(peakBuffers / 1e6).toFixed(1)} MB  same size ${out.length === bytes.length}${gc ? "" : "  (no --expose-gc: memory rough)"}`,
  );
}
