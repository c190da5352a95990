import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { QuantizationReport } from "@quantkit/onnx";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../../test/_cli";
import { SILERO_V5 } from "../../../test/onnxModels";
import { npyBytes } from "../_npyBytes";
import type { OnnxQuantizeJson } from "./quantizeReport";

let dir = "";
let vad = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-onnx-keep-float-"));
  vad = join(dir, "vad");
  await mkdir(vad);
  for (let i = 0; i < 6; i++) {
    const x = new Float32Array(512);
    for (let j = 0; j < 512; j++) x[j] = 0.3 * Math.sin(j * (0.05 + 0.02 * i)) * Math.sin(j / 90);
    const f = join(vad, `s${i}`);
    await mkdir(f);
    await writeFile(join(f, "input.npy"), npyBytes("<f4", [1, 512], x));
    await writeFile(join(f, "state.npy"), npyBytes("<f4", [2, 1, 128], new Float32Array(256)));
    await writeFile(join(f, "sr.npy"), npyBytes("<i8", [], BigInt64Array.of(16000n)));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("quantkit onnx quantize --keep-float N", () => {
  it("int8 of Silero VAD v5 keeps the 2 most sensitive Convs float, says so, and the file loads", async () => {
    const target = join(dir, "vad.int8.onnx");
    const argv = ["onnx", "quantize", SILERO_V5, "--mode", "int8", "--keep-float", "2", "-o", target];
    const r = await cli(...argv, "--calibration", vad, "--json");
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: QuantizationReport };
    const kept = json.keptFloat!;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(2);
    for (const k of kept) {
      expect(k.opType).toBe("Conv");
      expect(k.gainDb).toBeGreaterThan(0);
      const node = json.report.nodes.find((n) => n.name === k.node)!;
      expect(node.quantized).toBe(false);
      expect(node.detail).toBe("excluded by options.exclude");
    }
    if (kept.length === 2) expect(kept[0]!.gainDb).toBeGreaterThanOrEqual(kept[1]!.gainDb);
    // 6 Convs in the 16 kHz branch; the kept ones are not among the quantized.
    const quantizedConvs = json.report.nodes.filter((n) => n.opType === "Conv" && n.quantized);
    expect(quantizedConvs.length).toBe(6 - kept.length);
    await (await ort.InferenceSession.create(readFileSync(target))).release();

    const text = await cli(...argv, "--calibration", vad);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain(`kept float by sensitivity: ${kept[0]!.node} (+`);
  });

  it("usage errors exit 2 and write nothing: --keep-float with fp16 or q4, or without --calibration", async () => {
    const out = join(dir, "usage");
    await mkdir(out);
    const o = join(out, "x.onnx");
    for (const argv of [
      ["--mode", "fp16", "--keep-float", "1", "--calibration", vad],
      ["--mode", "q4", "--keep-float", "1"],
      ["--mode", "q8", "--keep-float", "1"],
      ["--mode", "q8", "--keep-float", "0", "--calibration", vad],
    ]) {
      const r = await cli("onnx", "quantize", SILERO_V5, "-o", o, ...argv);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect(await readdir(out)).toEqual([]);
  });
});
