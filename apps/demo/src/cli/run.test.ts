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
  "--weight-only",
  "none",
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

  it("--weight-only adds weight-only PTQ rows (every method at each width) to the table", async () => {
    const io = memoryIo();
    const args = ["run", ...QUICK, "--qat", "none", "--backends", "wasm-simd", "--timing-repeats", "0"];
    const code = await runCli(
      [...args, "--weight-only", "3", "--weight-only-block-size", "16", "--no-progress"],
      io,
    );
    expect(code).toBe(0);
    for (const method of ["rtn", "gptq", "awq", "hqq"]) {
      const data = method === "gptq" || method === "awq" ? "100 calibration rows" : "data-free";
      expect(io.stdout).toMatch(
        new RegExp(
          `\\nw3 ${method}\\s+weight-only, blocks of 16, ${data}\\s+\\d+\\.\\d\\d%\\s+[+-]\\d+\\.\\d\\d\\s+\\d\\d,\\d{3}\\s+nn\\s`,
        ),
      );
    }
    expect(io.stdout).toMatch(
      /- weight-only rows \(w<bits> <method>\): PTQ of the fp32 model's weights alone/,
    );
    const bad = memoryIo();
    expect(await runCli([...args, "--weight-only", "5"], bad)).toBe(2);
    expect(bad.stderr).toMatch(/"5" is not one of 4, 3, 2, 8/);
  });

  it("formatRunTable puts a row per model with accuracy, change, size and per-backend time", () => {
    const text = formatRunTable(summaryFixture(), { name: "data", train: 10, test: 10 });
    expect(text).toMatch(/\nfp32\s+-\s+90\.00%\s+358,888\s+nn\s+12\.3\s+-\n/);
    expect(text).toMatch(
      /\nptq\s+minmax \(defaultQConfig\)\s+89\.50%\s+-0\.50\s+93,444\s+wasm-simd\s+-\s+12\.3\n/,
    );
    expect(text).toMatch(/- fp32 training: 2\.3 s per epoch/);
    // QAT fine-tuning trains one more epoch: its fair baseline, fp32 trained that epoch too, is a row
    expect(text).toMatch(
      /\nfp32 \+1 epoch\s+no fake quant, lr 0\.0001 \(fair baseline\)\s+92\.00%\s+\+2\.00\s+358,888\s+nn/,
    );
    expect(text).toMatch(/\nqat finetune\s+from fp32, 1 epoch, lr 0\.0001\s+91\.50%\s+\+1\.50/);
    expect(text).toContain(
      "against fp32 trained the same 1 epoch more without fake quantization (92.00%) it is -0.50 points",
    );
    expect(text).not.toContain("\u001b[");
  });

  it("formatRunTable fits the terminal: two narrow tables under 100 columns, notes wrapped between words", () => {
    const s = summaryFixture();
    const wide = formatRunTable(s, { name: "data", train: 10, test: 10 }, { columns: 160 });
    expect(wide).toMatch(/\nmodel\s+calibration\s+accuracy/);
    for (const columns of [80, 60]) {
      const text = formatRunTable(s, { name: "data", train: 10, test: 10 }, { columns });
      for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(columns);
      expect(text).toMatch(/\nmodel\s+accuracy\s+vs fp32\s+size \(bytes\)\s+on\n/);
      expect(text).toMatch(/\ninference ms\s+nn\s+wasm-simd\n/);
      expect(text).toMatch(/\nqat finetune\s+91\.50%\s+\+1\.50\s+93,444\s+wasm-simd\n/);
      // what the calibration column said is a note; every word of every note is whole
      const notes = text.slice(text.indexOf("\n- ")).replace(/\n {2}/g, " ");
      expect(notes).toContain(
        "- calibration: ptq: minmax (defaultQConfig); fp32 +1 epoch: no fake quant, lr 0.0001 (fair baseline); qat finetune: from fp32, 1 epoch, lr 0.0001",
      );
      expect(notes).toContain("@quantkit/nn's forward pass, the other fp32 columns the backend's matmulF32)");
    }
    // at 100 columns or more the wide table is used when it fits, the narrow one when it does not
    expect(formatRunTable(s, { name: "data", train: 10, test: 10 }, { columns: 100 })).toMatch(
      /\nmodel\s+accuracy\s+vs fp32/,
    );
    // piped (no width): the wide table, one line per note
    const piped = formatRunTable(s, { name: "data", train: 10, test: 10 });
    expect(piped.split("\n").filter((l) => l.startsWith("  "))).toEqual([]);
  });

  it("formatRunTable colours only when asked: bold headers, green gains, red losses", () => {
    const text = formatRunTable(summaryFixture(), { name: "data", train: 10, test: 10 }, { color: true });
    expect(text).toContain("\u001b[1mmodel");
    // no trailing blanks inside the colour codes either
    const plain = text.replaceAll(new RegExp(`${"\u001b"}\\[\\d+m`, "g"), "");
    for (const line of plain.split("\n")) expect(line, line).not.toMatch(/ $/);
    const esc = "\u001b";
    expect(text).toMatch(new RegExp(`${esc}\\[31m\\s*-0\\.50${esc}\\[39m`));
    expect(text).toMatch(new RegExp(`${esc}\\[32m\\s*\\+1\\.50${esc}\\[39m`));
  });

  it("--json is the same whatever the terminal's width and colour", async () => {
    const io = Object.assign(memoryIo(), { outColumns: 50, outColor: true, errColor: true });
    const code = await runCli(["run", ...QUICK, "--qat", "finetune", "--json"], io);
    expect(code).toBe(0);
    expect(io.stdout).not.toContain("\u001b[");
    const r = JSON.parse(io.stdout);
    expect(r.fp32Finetune).toMatchObject({ epochs: 1, lr: 0.0001, backend: "nn" });
    expect(io.stdout).toContain('\n  "config": {\n    "epochs": 1,');
  });
});

function summaryFixture(): Parameters<typeof formatRunTable>[0] {
  const t = { medianMs: 12.34, minMs: 12, maxMs: 13, repeats: 5 };
  const base = {
    correct: 9,
    count: 10,
    sizeBytes: 93444,
    backend: "wasm-simd",
    inferenceMs: { "wasm-simd": t },
  };
  const quantized = {
    ...base,
    calibrator: "minmax",
    weightCalibrator: "minmax",
    qconfig: "defaultQConfig",
    weightBits: 8,
    activationBits: 8,
    agreement: 1,
    backendsAgree: true,
  };
  return {
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
    ptq: { ...quantized, accuracy: 0.895 },
    qatFinetune: {
      ...quantized,
      accuracy: 0.915,
      calibrator: "moving_average_minmax",
      weightCalibrator: "moving_average_minmax",
      mode: "finetune",
      epochs: 1,
      lr: 0.0001,
      epochMs: [3100],
      fakeQuantAccuracy: 0.915,
      qatModelAgreement: 1,
    },
    fp32Finetune: {
      accuracy: 0.92,
      correct: 92,
      count: 100,
      sizeBytes: 358888,
      backend: "nn",
      inferenceMs: {},
      epochs: 1,
      lr: 0.0001,
      epochMs: [2200],
    },
    aborted: false,
  };
}
