import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSafetensors, parseSafetensors } from "@quantkit/nn";
import { loadQuantizedModel, serializeQuantizedModel } from "@quantkit/ptq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "./io";
import { runCli } from "./program";
import { loadRunData } from "./run";
import { readSavedRun } from "./saveRun";
import { formatRunTable } from "./table";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-run-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const QUICK = [
  "--train-limit",
  "400",
  "--test-limit",
  "120",
  "--calibration-samples",
  "100",
  "--selection-samples",
  "100",
  "--calibrators",
  "minmax,percentile",
  "--weight-calibrators",
  "minmax",
  "--timing-repeats",
  "1",
  "--no-gpu",
];

describe("quantkit run", () => {
  it("runs the seed's experiment on a small slice of the bundled MNIST end to end: JSON with the documented keys, and --save", async () => {
    const io = memoryIo();
    const save = join(dir, "out");
    const code = await runCli(["run", ...QUICK, "--json", "--save", save], io);
    expect(io.stderr).toBe("");
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout);
    expect(r.dataset).toEqual({ name: "bundled MNIST", train: 400, test: 120 });
    expect(r.backends).toEqual(["wasm-simd", "js"]);
    expect(r.config).toMatchObject({
      epochs: 1,
      batchSize: 10,
      lr: 0.001,
      seed: 0,
      weightBits: 8,
      activationBits: 8,
      layers: [784, 100, 100, 10],
    });
    for (const key of ["fp32", "ptq", "ptqBest", "qat", "qatFinetune"]) {
      expect(typeof r[key].accuracy, key).toBe("number");
      expect(r[key].accuracy, key).toBeGreaterThan(0.5);
      expect(r[key].sizeBytes, key).toBeGreaterThan(0);
      expect(typeof r[key].backend, key).toBe("string");
      expect(r[key].inferenceMs["wasm-simd"].repeats, key).toBe(1);
    }
    expect(r.fp32.backend).toBe("nn");
    expect(r.ptq.backend).toBe("wasm-simd");
    expect(["minmax", "percentile"]).toContain(r.ptqBest.calibrator);
    expect(r.ptq.sizeBytes).toBeLessThanOrEqual(100_000);
    expect((await readdir(save)).sort()).toEqual([
      "mlp-fp32.safetensors",
      "mlp-int8-best.safetensors",
      "mlp-int8-qat-finetune.safetensors",
      "mlp-int8-qat.safetensors",
      "mlp-int8.safetensors",
      "results.json",
    ]);
    // Every saved file carries the run's id (results.json lists their sha256); the size figure is the
    // model's own serialization, the file is that plus the run_id metadata entry.
    const results = JSON.parse(await readFile(join(save, "results.json"), "utf8"));
    expect(results.format).toBe("quantkit.run");
    expect(parseSafetensors(await readFile(join(save, "mlp-int8.safetensors"))).metadata.run_id).toBe(
      results.run_id,
    );
    expect((await readSavedRun(save)).runId).toBe(results.run_id);
    expect(serializeQuantizedModel(await loadQuantizedModel(join(save, "mlp-int8.safetensors"))).length).toBe(
      r.ptq.sizeBytes,
    );
    const fp32 = await loadSafetensors(join(save, "mlp-fp32.safetensors"));
    expect(fp32.tensors["fc1.weight"]!.shape).toEqual([100, 784]);
    // the saved integer model gives the reported accuracy on the same test slice
    const { test } = await loadRunData({ dataset: "mnist", seed: 0, trainLimit: 400, testLimit: 120 });
    const model = await loadQuantizedModel(join(save, "mlp-int8.safetensors"));
    const pred = model.predict(test.images, test.count);
    expect(pred.reduce((n, p, i) => n + (p === test.labels[i] ? 1 : 0), 0) / test.count).toBe(r.ptq.accuracy);
  });

  it("a bad --save path fails before any work, naming the option and the path (items 10, 13)", async () => {
    const io = memoryIo();
    const code = await runCli(["run", ...QUICK, "--save", "/proc/x"], io);
    expect(code).toBe(1);
    expect(io.stdout).toBe("");
    expect(io.stderr).toMatch(/^quantkit: --save \/proc\/x: cannot write beside it/);
  });

  it("prints one table (and a per-layer report) at any bit width", async () => {
    const io = memoryIo();
    const code = await runCli(
      [
        "run",
        ...QUICK,
        "--bits",
        "4",
        "--qat",
        "scratch",
        "--backends",
        "wasm-simd",
        "--report",
        "--no-progress",
      ],
      io,
    );
    expect(code).toBe(0);
    const lines = io.stdout.split("\n");
    expect(lines[0]).toBe(
      "bundled MNIST: 400 train / 120 test; MLP 784-100-100-10, Adam lr 0.001, batch 10, 1 epoch, seed 0; quantized to w4a4",
    );
    expect(lines[2]).toMatch(
      /^model\s+calibration\s+accuracy\s+vs fp32\s+size \(bytes\)\s+accuracy on\s+nn ms\s+wasm-simd ms$/,
    );
    expect(lines[3]).toMatch(/^fp32\s+-\s+\d+\.\d\d%\s+3\d\d,\d{3}\s+nn\s+\d/);
    expect(lines[4]).toMatch(
      /^ptq\s+minmax \(minmax w4a4\)\s+\d+\.\d\d%\s+[+-]\d+\.\d\d\s+4\d,\d{3}\s+wasm-simd\s+-\s+\d/,
    );
    expect(io.stdout).toMatch(/\nqat scratch\s+fake quant, 1 epoch, lr 0.001\s/);
    expect(io.stdout).not.toMatch(/\nqat finetune/);
    expect(io.stdout).toMatch(/per-layer report, ptq \(120 test samples/);
    expect(io.stdout).toMatch(/\nfc1\s+linear\s+0\.000\.\.\S+\s+0\.000\.\.\S+\s+\S+\s+0\s+0\.\.15\s+4-bit/);
  });

  it("a stop request (Ctrl-C) ends the run after the current step: what finished is printed, exit code 130", async () => {
    const io = memoryIo();
    const controller = new AbortController();
    controller.abort();
    const code = await runCli(["run", ...QUICK, "--qat", "none"], io, controller.signal);
    expect(code).toBe(130);
    expect(io.stdout).toMatch(/\nfp32\s/);
    expect(io.stdout).not.toMatch(/\nptq\s/);
    expect(io.stdout).toMatch(/interrupted: the rows above are what finished/);
  });

  it("formatRunTable puts a row per model with accuracy, change, size and per-backend time", () => {
    const t = { medianMs: 12.34, minMs: 12, maxMs: 13, repeats: 5 };
    const base = {
      correct: 9,
      count: 10,
      sizeBytes: 93444,
      backend: "wasm-simd",
      inferenceMs: { "wasm-simd": t },
    };
    const text = formatRunTable(
      {
        config: {
          epochs: 1,
          batchSize: 10,
          lr: 0.001,
          seed: 0,
          weightBits: 8,
          activationBits: 8,
          perChannel: false,
          trainSamples: 10,
          testSamples: 10,
          calibrationSamples: 5,
          selectionSamples: 5,
          layers: [4, 2],
        },
        fp32: {
          ...base,
          accuracy: 0.9,
          loss: 0.3,
          sizeBytes: 358888,
          backend: "nn",
          inferenceMs: { nn: t },
          epochMs: [2300],
          trained: true,
        },
        ptq: {
          ...base,
          accuracy: 0.895,
          calibrator: "minmax",
          weightCalibrator: "minmax",
          qconfig: "defaultQConfig",
          weightBits: 8,
          activationBits: 8,
          agreement: 1,
          backendsAgree: true,
        },
        aborted: false,
      },
      { name: "data", train: 10, test: 10 },
    );
    expect(text).toMatch(/\nfp32\s+-\s+90\.00%\s+358,888\s+nn\s+12\.3\s+-\n/);
    expect(text).toMatch(
      /\nptq\s+minmax \(defaultQConfig\)\s+89\.50%\s+-0\.50\s+93,444\s+wasm-simd\s+-\s+12\.3\n/,
    );
    expect(text).toMatch(/- fp32 training: 2\.3 s per epoch/);
  });
});
