import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeSafetensors } from "@quantkit/nn";
import type { QuantizationReport } from "@quantkit/onnx";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../../test/_cli";
import { SILERO_V5 } from "../../../test/onnxModels";
import { npyBytes } from "../_npyBytes";
import type { OnnxQuantizeJson } from "./quantizeReport";

let dir = "";
let samples = "";
let folders = "";

/** A 32 ms chunk of a chirp with a little noise, as Silero VAD v5 takes it (16 kHz). */
function chunk(rng: Rng, i: number): Float32Array {
  const x = new Float32Array(512);
  for (let j = 0; j < 512; j++) x[j] = 0.3 * Math.sin(j * (0.05 + 0.02 * i)) + 0.05 * rng.normal();
  return x;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-onnx-quantize-"));
  samples = join(dir, "samples");
  folders = join(dir, "folders");
  await mkdir(samples);
  await mkdir(folders);
  const rng = new Rng(7);
  for (let i = 0; i < 4; i++) {
    const input = chunk(rng, i);
    const state = new Float32Array(256);
    // sr as int32 in the file: the reader converts it to the graph's int64
    await writeFile(
      join(samples, `s${i}.safetensors`),
      serializeSafetensors({
        input: { data: input, shape: [1, 512] },
        state: { data: state, shape: [2, 1, 128] },
        sr: { data: Int32Array.of(16000), shape: [] },
      }),
    );
    const f = join(folders, `sample-${i}`);
    await mkdir(f);
    await writeFile(join(f, "input.npy"), npyBytes("<f4", [1, 512], input));
    await writeFile(join(f, "state.npy"), npyBytes("<f4", [2, 1, 128], state));
    await writeFile(join(f, "sr.npy"), npyBytes("<i8", [], BigInt64Array.of(16000n)));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function emptyDir(name: string): Promise<string> {
  const d = join(dir, name);
  await mkdir(d);
  return d;
}

describe("quantkit onnx quantize", () => {
  it("q8 of Silero VAD v5: an 8-bit model onnxruntime-node runs, its size and SQNR reported, no temp file left", async () => {
    const out = await emptyDir("q8");
    const target = join(out, "vad.q8.onnx");
    const r = await cli(
      "onnx",
      "quantize",
      SILERO_V5,
      "--mode",
      "q8",
      "-o",
      target,
      "--calibration",
      samples,
      "--json",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: QuantizationReport };
    expect(await readdir(out)).toEqual(["vad.q8.onnx"]);
    expect(json.fileBytesAfter).toBe((await stat(target)).size);
    expect(json.fileBytesBefore).toBe(readFileSync(SILERO_V5).length);
    expect(json.fileBytesAfter).toBeLessThan(0.35 * json.fileBytesBefore);
    expect(json.samples).toBe(4);
    expect(json.report.nodes.filter((n) => n.quantized).map((n) => n.opType)).toEqual([
      ...Array(6).fill("Conv"),
      "LSTM",
      "LSTM",
      ...Array(6).fill("Conv"),
      "LSTM",
      "LSTM",
    ]);
    // the speech probability of the 8-bit model is close to the float model's
    expect(json.outputSqnrDb.output).toBeGreaterThan(15);

    const session = await ort.InferenceSession.create(readFileSync(target));
    const run = await session.run({
      input: new ort.Tensor("float32", chunk(new Rng(1), 3), [1, 512]),
      state: new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]),
      sr: new ort.Tensor("int64", BigInt64Array.of(16000n), []),
    });
    const p = (run.output!.data as Float32Array)[0]!;
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    await session.release();
  });

  it("reads samples from folders of <input>.npy as from .safetensors files: the same SQNR; the text report names sizes and what stayed float", async () => {
    const a = await cli(
      "onnx",
      "quantize",
      SILERO_V5,
      "--mode",
      "q8",
      "-o",
      join(dir, "a.onnx"),
      "--calibration",
      samples,
      "--json",
    );
    const b = await cli(
      "onnx",
      "quantize",
      SILERO_V5,
      "--mode",
      "q8",
      "-o",
      join(dir, "b.onnx"),
      "--calibration",
      folders,
    );
    expect(b.code).toBe(0);
    const sqnr = (JSON.parse(a.out) as OnnxQuantizeJson).outputSqnrDb.output!;
    expect(b.out).toContain(`output ${sqnr.toFixed(1)} dB`);
    expect(b.out).toMatch(/size: 2,327,524 -> [\d,]+ bytes/);
    expect(b.out).toContain("quantized nodes: 16 of ");
    expect(b.out).not.toMatch(/q8 does not quantize LSTM/);
    expect(b.out).toMatch(/\n +10 {2}removed: folded into the 8-bit weights of LSTM /);
    expect(readFileSync(join(dir, "a.onnx")).equals(readFileSync(join(dir, "b.onnx")))).toBe(true);
  });

  it("usage errors exit 2 and write nothing", async () => {
    const out = await emptyDir("usage");
    const o = join(out, "x.onnx");
    const cases = [
      ["onnx", "quantize", SILERO_V5, "-o", o],
      ["onnx", "quantize", SILERO_V5, "--mode", "q3", "-o", o],
      ["onnx", "quantize", SILERO_V5, "--mode", "q8"],
      ["onnx", "quantize", SILERO_V5, "--mode", "int8", "-o", o],
      ["onnx", "quantize", SILERO_V5, "--mode", "q8", "-o", o, "--max-samples", "0"],
      ["onnx", "quantize", SILERO_V5, "--mode", "q8", "-o", o, "--exclude", ","],
      ["onnx", "quantize", SILERO_V5, "--mode", "q8", "-o", o, "--exclude", "no_such_node"],
    ];
    for (const argv of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err).not.toBe("");
      expect(r.out).toBe("");
    }
    expect(await readdir(out)).toEqual([]);
  });

  it("a model that is not ONNX or is truncated, and samples that do not fit, fail naming the file and input; nothing written", async () => {
    const out = await emptyDir("bad");
    const o = join(out, "x.onnx");
    const notOnnx = join(dir, "notes.onnx");
    const truncated = join(dir, "truncated.onnx");
    await writeFile(notOnnx, "not a model");
    await writeFile(truncated, readFileSync(SILERO_V5).subarray(0, 4096));
    for (const f of [notOnnx, truncated]) {
      const r = await cli("onnx", "quantize", f, "--mode", "q8", "-o", o);
      expect(r.code).toBe(1);
      expect(r.err).toContain(f);
    }
    const wrong = join(dir, "wrong");
    await mkdir(wrong);
    await writeFile(
      join(wrong, "s.safetensors"),
      serializeSafetensors({
        input: { data: new Float32Array(512), shape: [1, 512] },
        state: { data: new Float32Array(128), shape: [1, 1, 128] },
        sr: { data: Int32Array.of(16000), shape: [] },
      }),
    );
    const r = await cli("onnx", "quantize", SILERO_V5, "--mode", "q8", "-o", o, "--calibration", wrong);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(wrong, "s.safetensors"));
    expect(r.err).toContain('input "state" has shape [1, 1, 128], the graph wants [2, ?, 128]');
    const one = join(dir, "one");
    await mkdir(one);
    await writeFile(join(one, "x.npy"), npyBytes("<f4", [1, 512], new Float32Array(512)));
    const r2 = await cli("onnx", "quantize", SILERO_V5, "--mode", "q8", "-o", o, "--calibration", one);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain("this one has 3 (input, state, sr)");
    expect(await readdir(out)).toEqual([]);
  });
});
