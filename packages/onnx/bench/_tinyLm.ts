// The tiny character-level language model of fixtures/tiny-lm (a 4-layer decoder trained on the King
// James Bible) and perplexity as its reference.json defines it, computed with onnxruntime-node: the
// measure of what 4-bit weights cost a language model.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import type { EngineFeeds } from "../src/InferenceEngine";

export const TINY_LM_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "fixtures",
  "tiny-lm",
);

export interface TinyLm {
  bytes: Uint8Array;
  vocab: string[];
  reference: {
    fp32Perplexity: number;
    evaluation: { context: number; stride: number; targets: number };
    maxSequence: number;
  };
  heldout: string;
  calibration: string;
}

/** Reads the fixture: model bytes, tokenizer, reference figures and the two texts. */
export function readTinyLm(dir = TINY_LM_DIR): TinyLm {
  const tokenizer = JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8")) as { vocab: string[] };
  return {
    bytes: new Uint8Array(readFileSync(join(dir, "model.onnx"))),
    vocab: tokenizer.vocab,
    reference: JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")),
    heldout: readFileSync(join(dir, "heldout.txt"), "utf8"),
    calibration: readFileSync(join(dir, "calibration.txt"), "utf8"),
  };
}

/** One id per character (the tokenizer's index); throws on a character outside the vocabulary. */
export function encode(vocab: readonly string[], text: string): BigInt64Array {
  const index = new Map(vocab.map((c, i) => [c, i]));
  const chars = [...text];
  const ids = new BigInt64Array(chars.length);
  chars.forEach((c, i) => {
    const id = index.get(c);
    if (id === undefined) throw new Error(`tiny-lm: character ${JSON.stringify(c)} is not in the vocabulary`);
    ids[i] = BigInt(id);
  });
  return ids;
}

/** Calibration feeds: `count` windows of `length` tokens of `ids`, evenly spread. */
export function calibrationSamples(ids: BigInt64Array, count: number, length: number): EngineFeeds[] {
  const step = Math.floor((ids.length - length) / Math.max(1, count - 1));
  return Array.from({ length: count }, (_, i) => ({
    input_ids: { type: "int64", data: ids.slice(i * step, i * step + length), dims: [1, length] },
  }));
}

/**
 * Perplexity of `ids` as reference.json's protocol states it: windows of `context` inputs every `stride`
 * tokens, each target scored once (in the first window that predicts it), log-softmax in float64; and
 * each target's log-probabilities over the vocabulary (for `klDivergence`).
 */
export async function perplexity(
  model: Uint8Array,
  ids: BigInt64Array,
  context: number,
  stride: number,
): Promise<{ perplexity: number; targets: number; logProbs: Float32Array[] }> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const n = ids.length;
  let nll = 0;
  let count = 0;
  let last = 0;
  const logProbs: Float32Array[] = [];
  try {
    for (let s = 0; s < n - 1; s += stride) {
      const end = Math.min(s + context, n - 1);
      const input = new ort.Tensor("int64", ids.slice(s, end), [1, end - s]);
      const out = await session.run({ input_ids: input });
      const logits = out.logits!.data as Float32Array;
      const vocab = logits.length / (end - s);
      const first = last + 1 - (s + 1);
      for (let p = first; p < end - s; p++) {
        let max = Number.NEGATIVE_INFINITY;
        for (let v = 0; v < vocab; v++) max = Math.max(max, logits[p * vocab + v]!);
        let sum = 0;
        for (let v = 0; v < vocab; v++) sum += Math.exp(logits[p * vocab + v]! - max);
        const target = Number(ids[s + 1 + p]);
        nll -= logits[p * vocab + target]! - max - Math.log(sum);
        const row = new Float32Array(vocab);
        for (let v = 0; v < vocab; v++) row[v] = logits[p * vocab + v]! - max - Math.log(sum);
        logProbs.push(row);
        count++;
      }
      last = end;
      if (end === n - 1) break;
    }
  } finally {
    await session.release();
  }
  return { perplexity: Math.exp(nll / count), targets: count, logProbs };
}

/**
 * Mean over targets of KL(p || q) from per-target log-probabilities (`perplexity`'s logProbs): how far a
 * quantized model's predictions moved from the float model's, a steadier figure than the perplexity
 * difference (which mixes gains and losses per target).
 */
export function klDivergence(p: readonly Float32Array[], q: readonly Float32Array[]): number {
  let kl = 0;
  for (let t = 0; t < p.length; t++) {
    const a = p[t]!;
    const b = q[t]!;
    for (let v = 0; v < a.length; v++) kl += Math.exp(a[v]!) * (a[v]! - b[v]!);
  }
  return kl / p.length;
}
