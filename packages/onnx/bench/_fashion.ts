// Fashion-MNIST for the fixture CNN (fixtures/fashion-cnn): IDX files read with zlib, normalised as the
// fixture's reference.json says, and accuracy of a session over the test set in batches.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { EngineFeeds, InferenceSession } from "../src/index";

export function readFashion(dir: string, split: "train" | "t10k", mean: number, std: number) {
  const images = gunzipSync(readFileSync(join(dir, `${split}-images-idx3-ubyte.gz`)));
  const labels = gunzipSync(readFileSync(join(dir, `${split}-labels-idx1-ubyte.gz`)));
  const n = labels.readUInt32BE(4);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) x[i] = Math.fround(Math.fround(images[16 + i]! / 255 - mean) / std);
  return { x, labels: labels.subarray(8, 8 + n), n };
}

/** Feeds of `batch` images starting at `start`. */
export function fashionFeed(x: Float32Array, start: number, batch: number, inputName: string): EngineFeeds {
  return {
    [inputName]: {
      type: "float32",
      data: x.subarray(start * 784, (start + batch) * 784),
      dims: [batch, 1, 28, 28],
    },
  };
}

export async function fashionAccuracy(
  session: InferenceSession,
  data: ReturnType<typeof readFashion>,
  batch = 1000,
) {
  let correct = 0;
  const t0 = performance.now();
  for (let s = 0; s < data.n; s += batch) {
    const b = Math.min(batch, data.n - s);
    const r = await session.run(fashionFeed(data.x, s, b, session.inputNames[0]!));
    const logits = Object.values(r)[0]!.data as Float32Array;
    for (let i = 0; i < b; i++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (logits[i * 10 + k]! > logits[i * 10 + best]!) best = k;
      if (best === data.labels[s + i]) correct++;
    }
  }
  return { accuracy: correct / data.n, msPerBatch: (performance.now() - t0) / Math.ceil(data.n / batch) };
}
