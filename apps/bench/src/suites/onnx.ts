import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import type { MeasuredVariant, Suite, SuiteContext } from "../context";
import { type Feeds, fixturesPresent, REAL_MODELS, type RealModel } from "../onnx/realModels";

/**
 * The modes and models measured. A quick run (every suite under 3 minutes together) takes the issue's
 * goals, q8 and int8 of Silero VAD v5 and the recogniser, with fewer timed rounds; --full all of them.
 */
const MODES = { quick: ["q8", "int8"], full: ["fp16", "q8", "int8"] } as const;
const QUICK_MODELS = new Set(["silero-vad-v5", "ppocr-rec"]);
/** int8 calibrates on this many fixture inputs (the 64 images). */
const CALIBRATION_SAMPLES = 64;

type Runtime = "onnxruntime-node" | "onnxruntime-web";
type Session = { run: () => Promise<unknown>; release: () => Promise<void> };

/** A session of `bytes` on one thread, fed `feeds` on every run. */
async function session(runtime: Runtime, bytes: Uint8Array, feeds: Feeds): Promise<Session> {
  const ort = (runtime === "onnxruntime-node" ? ortNode : ortWeb) as typeof ortNode;
  const s = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
    executionProviders: [runtime === "onnxruntime-node" ? "cpu" : "wasm"],
  });
  const wrapped = Object.fromEntries(
    Object.entries(feeds).map(([k, f]) => [k, new ort.Tensor(f.type, f.data as Float32Array, f.dims)]),
  );
  return { run: () => s.run(wrapped), release: () => s.release() };
}

interface ChildResult {
  ms: number;
  peakRssBytes: number;
  fileBytes: number;
  outBytes: number;
  samples: number;
}

function quantizeInChild(ctx: SuiteContext, model: RealModel, mode: string, out: string): ChildResult {
  const child = fileURLToPath(new URL("../onnx/quantizeChild.ts", import.meta.url));
  const stdout = execFileSync(
    process.execPath,
    [...process.execArgv, child, model.id, mode, String(CALIBRATION_SAMPLES), out, ctx.repoRoot],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildResult;
}

async function measureModel(
  ctx: SuiteContext,
  model: RealModel,
  dir: string,
  step: () => void,
): Promise<void> {
  const floatBytes = new Uint8Array(readFileSync(model.path));
  const [feeds] = model.inputs(ctx.repoRoot, 1) as [Feeds];
  const floats: Partial<Record<Runtime, Session>> = {};
  for (const rt of ["onnxruntime-node", "onnxruntime-web"] as const)
    floats[rt] = await session(rt, floatBytes, feeds);
  for (const mode of MODES[ctx.mode]) {
    if (ctx.signal.aborted) return;
    ctx.progress(0, `${model.label}: ${mode}`);
    const out = join(dir, `${model.id}.${mode}.onnx`);
    const r = quantizeInChild(ctx, model, mode, out);
    const params = { model: model.id, mode, ...(mode === "int8" ? { calibrationSamples: r.samples } : {}) };
    ctx.metric({
      id: `quantize-time/${model.id}/${mode}`,
      kind: "quantize-time",
      label: `time to quantize ${model.label} (${mode}), in Node`,
      value: r.ms,
      unit: "ms",
      better: "lower",
      params,
    });
    ctx.metric({
      id: `peak-memory/${model.id}/${mode}`,
      kind: "peak-memory",
      label: `peak memory of quantizing ${model.label} (${mode}), x the float file`,
      value: r.peakRssBytes / r.fileBytes,
      unit: "x file",
      better: "lower",
      params: { ...params, peakRssBytes: r.peakRssBytes },
    });
    ctx.metric({
      id: `model-size/${model.id}/${mode}`,
      kind: "model-size",
      label: `${model.label} file (${mode}) / float file`,
      value: r.outBytes / r.fileBytes,
      unit: "fraction",
      better: "lower",
      params: { ...params, bytes: r.outBytes, floatBytes: r.fileBytes },
    });
    const quantBytes = new Uint8Array(readFileSync(out));
    const variants: MeasuredVariant[] = [];
    const sessions: Session[] = [];
    for (const rt of ["onnxruntime-node", "onnxruntime-web"] as const) {
      let q: Session;
      try {
        q = await session(rt, quantBytes, feeds);
      } catch (error) {
        ctx.note(`${model.label} ${mode} does not load in ${rt}: ${(error as Error).message.split("\n")[0]}`);
        continue;
      }
      sessions.push(q);
      const backend =
        rt === "onnxruntime-node"
          ? "onnxruntime-node cpu, 1 thread"
          : "onnxruntime-web wasm, 1 thread (Node)";
      const common = {
        impl: rt,
        role: "peer" as const,
        backend,
        size: 1,
        sizeUnit: "inferences",
        shape: feeds[Object.keys(feeds)[0]!]!.dims.join("x"),
      };
      variants.push(
        {
          ...common,
          id: `infer/${model.id}/${mode}/float/${rt}`,
          op: "onnx.inference.float32",
          params: { model: model.id, mode, variant: "float" },
          run: floats[rt]!.run,
        },
        {
          ...common,
          id: `infer/${model.id}/${mode}/quantized/${rt}`,
          op: `onnx.inference.${mode}`,
          params: { model: model.id, mode, variant: "quantized" },
          run: q.run,
        },
      );
    }
    if (variants.length > 0) {
      await ctx.measure(variants, ctx.mode === "quick" ? { warmupRounds: 1, repetitions: 5 } : {});
      for (let i = 0; i < variants.length; i += 2) {
        const rt = variants[i]!.impl;
        ctx.ratio(
          `onnx/${model.id}/${mode}-vs-float/${rt}`,
          `${model.label}: ${mode} / float inference speed, ${variants[i]!.backend}`,
          variants[i + 1]!.id,
          variants[i]!.id,
          model.id === "ppocr-rec" && mode === "int8",
        );
      }
    }
    for (const s of sessions) await s.release();
    step();
  }
  for (const s of Object.values(floats)) await s.release();
}

/**
 * @quantkit/onnx on the real models: for Silero VAD v5 and PP-OCRv4's recogniser and direction
 * classifier, in fp16, q8 and int8 (64 calibration inputs from the fixtures), the time to quantize and
 * its peak memory (each in a process of its own), the file size, and float vs quantized inference in
 * onnxruntime-node and onnxruntime-web (WASM), one thread each, timed in the same rounds.
 */
export const onnxSuite: Suite = {
  id: "onnx",
  title: "@quantkit/onnx on real models: quantize time, peak memory, size, inference float vs quantized",
  package: "@quantkit/onnx",
  async run(ctx) {
    if (!fixturesPresent(ctx.repoRoot))
      ctx.skip("fixtures/speech and fixtures/text-lines are not in this checkout");
    ortWeb.env.wasm.numThreads = 1;
    ortWeb.env.logLevel = "error";
    ctx.source = "apps/bench/src/suites/onnx.ts (quantization in apps/bench/src/onnx/quantizeChild.ts)";
    const dir = mkdtempSync(join(tmpdir(), "quantkit-bench-onnx-"));
    let done = 0;
    const models = REAL_MODELS.filter((m) => ctx.mode === "full" || QUICK_MODELS.has(m.id));
    const total = models.length * MODES[ctx.mode].length;
    try {
      for (const model of models) {
        await measureModel(ctx, model, dir, () => ctx.progress(++done / total, model.label));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (ctx.mode === "quick")
      ctx.note(
        "quick run: q8 and int8 of Silero VAD v5 and the PP-OCRv4 recogniser, 5 timed rounds; --full adds fp16 and the direction classifier",
      );
    ctx.note(
      `Quantize time: read the float file, quantize, write the bytes, in a fresh Node process (int8 calibrates on ${CALIBRATION_SAMPLES} fixture inputs through onnxruntime-node, 1 thread); peak memory: the process's peak resident set above what it held before reading the model, over the float file's size. Inference: one input (a 32 ms speech chunk, a 48x320 or 48x192 text line), float and quantized models timed in the same rounds; the ratio is float time / quantized time (above 1: the quantized model is faster).`,
    );
  },
};
