// Read and write of an unchanged model, for every real model: read time, writeModel (exact-size
// writer) against @bufbuild/protobuf's toBinary in the same run (median of 15 rounds after 3 warm-ups,
// the two alternated), and the ArrayBuffer bytes each write allocates (one write after a GC; needs
// --expose-gc). Run: pnpm --filter @quantkit/onnx bench
import { readFileSync } from "node:fs";
import { toBinary } from "@bufbuild/protobuf";
import { ModelProtoSchema, readModel, writeModel } from "../src/index";
import { MODELS, type ModelName } from "../test/_fixtures";

const gc = (globalThis as { gc?: () => void }).gc;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

function allocated(write: () => Uint8Array): number {
  gc?.();
  const before = process.memoryUsage().arrayBuffers;
  const out = write();
  const after = process.memoryUsage().arrayBuffers;
  void out.length;
  return after - before;
}

console.log("model              size      read   writeModel  toBinary  ratio  alloc writeModel / toBinary");
for (const name of Object.keys(MODELS) as ModelName[]) {
  const bytes = new Uint8Array(readFileSync(MODELS[name]));
  const model = readModel(bytes);
  const reads: number[] = [];
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < 18; i++) {
    let t = performance.now();
    readModel(bytes);
    const read = performance.now() - t;
    t = performance.now();
    const a = writeModel(model);
    const w = performance.now() - t;
    t = performance.now();
    const b = toBinary(ModelProtoSchema, model);
    const tb = performance.now() - t;
    if (a.length !== bytes.length || b.length !== bytes.length) throw new Error(`${name}: size changed`);
    if (i >= 3) {
      reads.push(read);
      ours.push(w);
      theirs.push(tb);
    }
  }
  const [mo, mt] = [median(ours), median(theirs)];
  console.log(
    `${name.padEnd(18)} ${mb(bytes.length).padStart(8)} ${median(reads).toFixed(1).padStart(6)} ms ${mo.toFixed(1).padStart(7)} ms ${mt
      .toFixed(1)
      .padStart(
        7,
      )} ms ${(mt / mo).toFixed(2).padStart(5)}x  ${mb(allocated(() => writeModel(model)))} / ${mb(allocated(() => toBinary(ModelProtoSchema, model)))}${gc ? "" : " (no --expose-gc)"}`,
  );
}
