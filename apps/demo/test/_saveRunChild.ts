// A writer for saveRun.test.ts: saves fake runs into argv[2] over and over (files of random sizes,
// up to 4 MB, so that a kill lands inside a write often), until the test kills it.
import { commitRun, stageRun } from "../src/cli/saveRun";

const dir = process.argv[2]!;
let seed = Number(process.argv[3] ?? 1);
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
for (let i = 0; ; i++) {
  const run = await stageRun(dir);
  const files = ["mlp-fp32.safetensors", "mlp-int8.safetensors", "mlp-int8-best.safetensors"].map((name) => ({
    name,
    bytes: new Uint8Array(Math.floor(rand() * 4_000_000) + 1).fill(i & 0xff),
  }));
  await commitRun(run, files, { iteration: i });
  process.stdout.write(`committed ${run.runId}\n`);
}
