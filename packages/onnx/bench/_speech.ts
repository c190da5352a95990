// Speech for Silero VAD: 16 kHz mono 16-bit PCM WAV files (fixtures/speech), read into float32, and the
// frame-by-frame run of the model with its recurrent state carried from frame to frame.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineFeeds, InferenceSession } from "../src/index";

/** All *.wav of `dir` (16-bit PCM; 16 kHz mono expected), concatenated, as float32 in [-1, 1). */
export function readSpeech(dir: string): { audio: Float32Array; files: string[]; sampleRate: number } {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".wav"))
    .sort();
  const parts: Float32Array[] = [];
  let sampleRate = 0;
  for (const f of files) {
    const b = readFileSync(join(dir, f));
    let off = 12;
    let data: Buffer | undefined;
    while (off + 8 <= b.length) {
      const id = b.toString("ascii", off, off + 4);
      const size = b.readUInt32LE(off + 4);
      if (id === "fmt ") {
        const channels = b.readUInt16LE(off + 10);
        sampleRate = b.readUInt32LE(off + 12);
        const bits = b.readUInt16LE(off + 22);
        if (channels !== 1 || bits !== 16)
          throw new Error(`${f}: ${channels} channels, ${bits} bits; 16-bit mono expected`);
      } else if (id === "data") {
        data = b.subarray(off + 8, off + 8 + size);
      }
      off += 8 + size + (size % 2);
    }
    if (data === undefined) throw new Error(`${f}: no data chunk`);
    const pcm = new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.length & ~1)));
    parts.push(Float32Array.from(pcm, (v) => v / 32768));
  }
  const audio = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    audio.set(p, at);
    at += p.length;
  }
  return { audio, files, sampleRate };
}

/** Speech probabilities of every 512-sample frame, state carried; optionally the feeds of every `every`-th frame. */
export async function vadProbabilities(
  session: InferenceSession,
  audio: Float32Array,
  every = 0,
): Promise<{ probs: Float32Array; feeds: EngineFeeds[]; msPerFrame: number }> {
  const frames = Math.floor(audio.length / 512);
  const probs = new Float32Array(frames);
  const feeds: EngineFeeds[] = [];
  let state: Float32Array = new Float32Array(256);
  const sr = { type: "int64", data: BigInt64Array.of(16000n), dims: [] };
  const t0 = performance.now();
  for (let f = 0; f < frames; f++) {
    const feed = {
      input: { type: "float32", data: audio.slice(f * 512, (f + 1) * 512), dims: [1, 512] },
      state: { type: "float32", data: state, dims: [2, 1, 128] },
      sr,
    };
    if (every > 0 && f % every === 0) feeds.push(feed);
    const r = await session.run(feed);
    state = r.stateN!.data as Float32Array;
    probs[f] = (r.output!.data as Float32Array)[0]!;
  }
  return { probs, feeds, msPerFrame: (performance.now() - t0) / frames };
}

/** Mean |p_q - p_f| and the share of frames with the same decision at 0.5. */
export function compareVad(
  pf: Float32Array,
  pq: Float32Array,
): { meanAbsDiff: number; agreement: number; speechFrames: number } {
  let sum = 0;
  let agree = 0;
  let speech = 0;
  for (let i = 0; i < pf.length; i++) {
    sum += Math.abs(pf[i]! - pq[i]!);
    if (pf[i]! > 0.5 === pq[i]! > 0.5) agree++;
    if (pf[i]! > 0.5) speech++;
  }
  return { meanAbsDiff: sum / pf.length, agreement: agree / pf.length, speechFrames: speech };
}
