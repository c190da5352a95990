import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect, readModel } from "@quantkit/onnx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../../test/_cli";
import { OCR_CLS, SILERO_V5 } from "../../../test/onnxModels";

const SILERO = SILERO_V5;
const CLS = OCR_CLS;

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-onnx-inspect-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("quantkit onnx inspect", () => {
  it("--json equals @quantkit/onnx's inspect of the same file, plus the file and its size", async () => {
    for (const file of [SILERO, CLS]) {
      const bytes = readFileSync(file);
      const { code, out, err } = await cli("onnx", "inspect", file, "--json");
      expect(err).toBe("");
      expect(code).toBe(0);
      const json = JSON.parse(out);
      const { file: f, fileBytes, ...report } = json;
      expect(f).toBe(file);
      expect(fileBytes).toBe(bytes.length);
      expect(report).toEqual(JSON.parse(JSON.stringify(inspect(readModel(new Uint8Array(bytes))))));
    }
  });

  it("prints Silero VAD v5's numbers: size, opset, graphs, parameters per dtype, inputs and op counts", async () => {
    const report = inspect(readModel(new Uint8Array(readFileSync(SILERO))));
    const { code, out } = await cli("onnx", "inspect", SILERO);
    expect(code).toBe(0);
    expect(out).toContain("2,327,524 bytes; IR 8; opsets ai.onnx 16");
    expect(out).toContain(
      `graphs ${report.graphs} (main + ${report.graphs - 1} subgraphs), nodes ${report.nodes}`,
    );
    expect(report.dtypes.float32!.parameters).toBe(545_286);
    expect(out).toMatch(/float32\s+34\s+545,286\s+2,181,144/);
    expect(out).toMatch(/\n {2}sr {2}int64 \[\]\n/);
    expect(out).toMatch(/\n {2}input {2}float32 \[\?, \?\]\n/);
    expect(out).toMatch(new RegExp(`\\nLSTM\\s+${report.ops.LSTM}\\n`));
    expect(out).toMatch(new RegExp(`\\nConv\\s+${report.ops.Conv}\\n`));
  });

  it("a file that is not ONNX, or is truncated, fails with exit code 1 and an error naming the file", async () => {
    const notOnnx = join(dir, "notes.onnx");
    const truncated = join(dir, "truncated.onnx");
    await writeFile(notOnnx, "this is not a model\n");
    await writeFile(truncated, readFileSync(SILERO).subarray(0, 1000));
    for (const file of [notOnnx, truncated, join(dir, "missing.onnx")]) {
      const { code, out, err } = await cli("onnx", "inspect", file);
      expect(code).toBe(1);
      expect(out).toBe("");
      expect(err).toContain(file);
    }
    expect((await readdir(dir)).sort()).toEqual(["notes.onnx", "truncated.onnx"]);
  });

  it("usage errors exit 2: no file, an unknown option, an unknown subcommand", async () => {
    for (const argv of [
      ["onnx", "inspect"],
      ["onnx", "inspect", SILERO, "--bogus"],
      ["onnx", "frobnicate", SILERO],
    ]) {
      const { code, err } = await cli(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(err).toMatch(/error: /);
    }
    expect((await cli("onnx", "inspect", "--help")).code).toBe(0);
  });
});
