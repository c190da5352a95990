import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CALIBRATION_METHODS, type Float16Report, type QuantizationReport } from "@quantkit/onnx";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../../test/_cli";
import { OCR_CLS, SILERO_V5 } from "../../../test/onnxModels";
import { npyBytes } from "../_npyBytes";
import { CALIBRATORS } from "./quantizeOptions";
import type { OnnxQuantizeJson } from "./quantizeReport";

let dir = "";
let vad = "";
let cls = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-onnx-modes-"));
  vad = join(dir, "vad");
  cls = join(dir, "cls");
  await mkdir(vad);
  await mkdir(cls);
  const rng = new Rng(11);
  for (let i = 0; i < 4; i++) {
    const x = new Float32Array(512);
    for (let j = 0; j < 512; j++) x[j] = 0.3 * Math.sin(j * (0.04 + 0.03 * i)) + 0.05 * rng.normal();
    const f = join(vad, `s${i}`);
    await mkdir(f);
    await writeFile(join(f, "input.npy"), npyBytes("<f4", [1, 512], x));
    await writeFile(join(f, "state.npy"), npyBytes("<f4", [2, 1, 128], new Float32Array(256)));
    await writeFile(join(f, "sr.npy"), npyBytes("<i8", [], BigInt64Array.of(16000n)));
    const img = new Float32Array(3 * 48 * 192);
    rng.fillUniform(img, -1, 1);
    await writeFile(join(cls, `line${i}.npy`), npyBytes("<f4", [1, 3, 48, 192], img));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("quantkit onnx quantize --mode fp16 | int8, and q8 of an opset-9 model", () => {
  it("offers @quantkit/onnx's calibration methods", () => {
    expect([...CALIBRATORS]).toEqual([...CALIBRATION_METHODS]);
  });

  it("fp16 of Silero VAD v5: about half the size, float32 inputs kept, outputs within 40 dB of the float model", async () => {
    const target = join(dir, "vad.fp16.onnx");
    const r = await cli(
      "onnx",
      "quantize",
      SILERO_V5,
      "--mode",
      "fp16",
      "-o",
      target,
      "--calibration",
      vad,
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: Float16Report };
    expect(json.fileBytesAfter).toBe(readFileSync(target).length);
    expect(json.fileBytesAfter).toBeLessThan(0.55 * json.fileBytesBefore);
    expect(json.report.parametersConverted).toBeGreaterThan(545_000);
    expect(json.outputSqnrDb.output).toBeGreaterThan(40);
    const session = await ort.InferenceSession.create(readFileSync(target));
    expect(session.inputMetadata.find((m) => m.name === "input")).toMatchObject({ type: "float32" });
    await session.release();
  });

  it("int8 of Silero VAD v5 with percentile ranges: QDQ Convs with per-node SQNR, the file loads in onnxruntime-node", async () => {
    const target = join(dir, "vad.int8.onnx");
    const r = await cli(
      "onnx",
      "quantize",
      SILERO_V5,
      "--mode",
      "int8",
      "--calibrator",
      "percentile",
      "-o",
      target,
      "--calibration",
      vad,
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: QuantizationReport };
    expect(json.calibrator).toBe("percentile");
    const convs = json.report.nodes.filter((n) => n.quantized && n.opType === "Conv");
    expect(convs.length).toBeGreaterThan(0);
    expect(convs.every((n) => n.detail.startsWith("QDQ") && typeof n.sqnrDb === "number")).toBe(true);
    expect(json.outputSqnrDb.output).toBeGreaterThan(10);
    await (await ort.InferenceSession.create(readFileSync(target))).release();
  });

  it.each(["q8", "int8"])(
    "%s of the PP-OCR direction classifier (opset 9): upgraded to 13, loads and classifies in onnxruntime-node",
    async (mode) => {
      const target = join(dir, `cls.${mode}.onnx`);
      const r = await cli(
        "onnx",
        "quantize",
        OCR_CLS,
        "--mode",
        mode,
        "-o",
        target,
        "--calibration",
        cls,
        "--json",
      );
      expect(r.code, r.err).toBe(0);
      const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: QuantizationReport };
      expect([json.opsetBefore, json.opsetAfter]).toEqual([9, 13]);
      expect(json.report.nodes.some((n) => n.quantized)).toBe(true);
      // the classifier's 11 depthwise Convs: q8 keeps them float by default, int8 writes them QDQ
      const depthwise = json.report.nodes.filter(
        (n) => n.opType === "Conv" && n.detail.includes("depthwise"),
      );
      expect(depthwise.length).toBe(mode === "q8" ? 11 : 0);
      expect(depthwise.every((n) => !n.quantized)).toBe(true);
      const session = await ort.InferenceSession.create(readFileSync(target));
      const out = await session.run({
        x: new ort.Tensor("float32", new Float32Array(3 * 48 * 192), [1, 3, 48, 192]),
      });
      const p = out[session.outputNames[0]!]!.data as Float32Array;
      expect(p.length).toBe(2);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 4);
      await session.release();
    },
  );

  it("q8 --depthwise integer writes the classifier's depthwise Convs as ConvInteger (ONNX Runtime's layout), --depthwise weights as DequantizeLinear weights", async () => {
    const layouts: Record<string, string[]> = {};
    for (const layout of ["integer", "weights"]) {
      const target = join(dir, `cls.q8.${layout}.onnx`);
      const r = await cli(
        "onnx",
        "quantize",
        OCR_CLS,
        "--mode",
        "q8",
        "--depthwise",
        layout,
        "-o",
        target,
        "--json",
      );
      expect(r.code, r.err).toBe(0);
      const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: QuantizationReport };
      expect(json.report.nodes.filter((n) => n.detail.includes("depthwise"))).toEqual([]);
      layouts[layout] = json.report.nodes
        .filter((n) => n.opType === "Conv")
        .map((n) => (n.quantized ? n.detail.split(" (")[0]! : "float"));
      await (await ort.InferenceSession.create(readFileSync(target))).release();
    }
    expect(layouts.integer!.every((d) => d === "ConvInteger")).toBe(true);
    // weights for the depthwise Convs, ConvInteger for the others
    expect(layouts.weights!.filter((d) => d === "DequantizeLinear weights").length).toBe(11);
    expect(layouts.weights!.filter((d) => d === "ConvInteger").length).toBe(layouts.integer!.length - 11);
  });

  it("usage errors exit 2 and write nothing: int8 without samples, --calibrator outside int8, --per-channel with fp16", async () => {
    const out = join(dir, "usage");
    await mkdir(out);
    const o = join(out, "x.onnx");
    for (const argv of [
      ["--mode", "int8"],
      ["--mode", "q8", "--calibrator", "entropy"],
      ["--mode", "int8", "--calibrator", "kl", "--calibration", vad],
      ["--mode", "fp16", "--no-per-channel"],
      ["--mode", "q8", "--depthwise", "qdq"],
      ["--mode", "int8", "--depthwise", "integer", "--calibration", vad],
      ["--mode", "fp16", "--depthwise", "float"],
      ["--mode", "q8", "--depthwise", "fp16"],
    ]) {
      const r = await cli("onnx", "quantize", SILERO_V5, "-o", o, ...argv);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect(await readdir(out)).toEqual([]);
  });
});
