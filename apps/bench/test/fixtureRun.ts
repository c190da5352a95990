/**
 * A small, hand-made result file with round numbers, for the unit tests and the dashboard's Chromium
 * test: every number in it is chosen so that what the page must show can be worked out by hand.
 */
import {
  type BenchResultFile,
  type Exactness,
  type Metric,
  type Ratio,
  SCHEMA_NAME,
  SCHEMA_VERSION,
  type Timing,
} from "../src/schema";

export function timing(
  id: string,
  op: string,
  impl: string,
  backend: string,
  size: number,
  medianMs: number,
  unit = "Melem/s",
  per = 1e6,
): Timing {
  const minMs = medianMs * 0.9;
  const maxMs = medianMs * 1.2;
  return {
    id,
    op,
    impl,
    // The fixture states each timing's role as a suite does: ours, a baseline (copy) or a peer library.
    role: impl === "quantkit" ? "quantkit" : impl === "copy" ? "baseline" : "peer",
    backend,
    size,
    sizeUnit: unit === "GMAC/s" ? "MACs" : "elements",
    shape: null,
    params: {},
    samples: 7,
    iterationsPerSample: 10,
    medianMs,
    minMs,
    maxMs,
    throughput: {
      unit,
      median: size / (medianMs / 1000) / per,
      min: size / (maxMs / 1000) / per,
      max: size / (minMs / 1000) / per,
    },
  };
}

export function ratio(
  id: string,
  label: string,
  subject: string,
  reference: string,
  median: number,
  headline = false,
): Ratio {
  return { id, label, subject, reference, median, min: median * 0.9, max: median * 1.1, pairs: 7, headline };
}

/** An int8 GEMM exactness record of a size^3 case: `differing` outputs off by up to `maxAbsDiff`. */
function exact(
  id: string,
  impl: string,
  backend: string,
  size: number,
  differing: number,
  maxAbsDiff: number,
  timing: string | null,
): Exactness {
  return {
    id,
    op: "gemm.int8",
    impl,
    backend,
    shape: `${size}x${size}x${size}`,
    label: impl === "quantkit" ? "quantkit matmulInteger" : `${impl} MatMulInteger`,
    reference: "plain loops",
    equal: differing === 0,
    outputs: size * size,
    differing,
    maxAbsDiff,
    timing,
  };
}

const accuracy = (method: string, bits: number, calibrator: string, value: number): Metric => ({
  id: `accuracy/${method}/${calibrator}/${bits}`,
  kind: "accuracy",
  label: `${method} ${bits}-bit accuracy (${calibrator})`,
  value,
  unit: "fraction",
  better: "higher",
  params: { method, bits, calibrator },
});

/**
 * A complete run. `gemmRatio` is the headline int8/fp32 GEMM ratio (1.5 unless given). With `failed`,
 * a quantizers suite that threw (status "failed", no figures) and an "ok" e2e suite whose notes report a
 * failed check, as a real run can have.
 */
export function fixtureRun(
  options: { gemmRatio?: number; createdAt?: string; failed?: boolean } = {},
): BenchResultFile {
  const gemmRatio = options.gemmRatio ?? 1.5;
  const n1 = 1 << 20;
  const n2 = 1 << 22;
  const bits = [8, 6, 4, 3, 2];
  const ptq = [0.962, 0.955, 0.871, 0.5, 0.12];
  const qat = [0.958, 0.957, 0.93, 0.85, 0.41];
  return {
    schema: SCHEMA_NAME,
    schemaVersion: SCHEMA_VERSION,
    createdAt: options.createdAt ?? "2026-11-26T12:00:00.000Z",
    mode: "quick",
    durationMs: 95_000,
    argv: [],
    machine: {
      cpuModel: "Test CPU",
      cores: 2,
      totalMemoryBytes: 8 * 2 ** 30,
      platform: "linux",
      arch: "x64",
      osRelease: "6.1",
      node: "v20.19.0",
      v8: "11.3",
      gpujs: "2.16.0",
      onnxruntime: "1.23.0",
      display: null,
      gitCommit: "0123456789abcdef0123456789abcdef01234567",
      gitDirty: false,
    },
    method: { warmupRounds: 2, repetitions: 7, minSampleMs: 15, statistic: "median", ratio: "paired" },
    suites: [
      {
        id: "numeric",
        title: "float16 encode",
        package: "@quantkit/numeric",
        status: "ok",
        reason: null,
        source: "fixture",
        durationMs: 5000,
        backends: ["js"],
        timings: [
          timing("f16/ours/256K", "float16.encode", "quantkit", "js", n1 / 4, 0.5),
          timing("f16/ours/1M", "float16.encode", "quantkit", "js", n1, 2),
          timing("f16/peta/1M", "float16.encode", "@petamoriken/float16", "js", n1, 5),
          timing("f16/ours/4M", "float16.encode", "quantkit", "js", n2, 8),
          timing("f16/peta/4M", "float16.encode", "@petamoriken/float16", "js", n2, 20),
          timing("f16/ours/16M", "float16.encode", "quantkit", "js", n2 * 4, 32),
        ],
        ratios: [
          ratio(
            "f16/vs-peta/1M",
            "float16 encode, quantkit / @petamoriken/float16, 1M",
            "f16/ours/1M",
            "f16/peta/1M",
            2.5,
            true,
          ),
          ratio(
            "f16/vs-peta/4M",
            "float16 encode, quantkit / @petamoriken/float16, 4M",
            "f16/ours/4M",
            "f16/peta/4M",
            2.5,
          ),
        ],
        metrics: [],
        notes: [],
      },
      {
        id: "kernels",
        title: "GEMM",
        package: "@quantkit/kernels",
        status: "ok",
        reason: null,
        source: "fixture",
        durationMs: 20000,
        backends: ["js", "ort-cpu"],
        timings: [
          timing("i8/js/64", "gemm.int8", "quantkit", "js", 64 ** 3, 1, "GMAC/s", 1e9),
          timing("f32/js/64", "gemm.fp32", "quantkit", "js", 64 ** 3, gemmRatio, "GMAC/s", 1e9),
          timing("i8/js/256", "gemm.int8", "quantkit", "js", 256 ** 3, 40, "GMAC/s", 1e9),
          timing("f32/js/256", "gemm.fp32", "quantkit", "js", 256 ** 3, 40 * gemmRatio, "GMAC/s", 1e9),
          timing("i8/ort/256", "gemm.int8", "onnxruntime-node", "ort-cpu", 256 ** 3, 4, "GMAC/s", 1e9),
        ],
        ratios: [
          ratio(
            "gemm/int8-vs-fp32/js/256",
            "int8 / fp32 GEMM speed, js, 256x256x256",
            "i8/js/256",
            "f32/js/256",
            gemmRatio,
            true,
          ),
          ratio(
            "gemm/int8-vs-ort/js/256",
            "quantkit int8 GEMM (js) / onnxruntime MatMulInteger speed, 256x256x256",
            "i8/js/256",
            "i8/ort/256",
            0.1,
            true,
          ),
        ],
        metrics: [],
        notes: [],
        exactness: [
          exact("i8/js/64", "quantkit", "js", 64, 0, 0, "i8/js/64"),
          exact("i8/js/256", "quantkit", "js", 256, 0, 0, "i8/js/256"),
          exact("i8/ort/64", "onnxruntime-node", "ort-cpu", 64, 0, 0, null),
          exact("i8/ort/256", "onnxruntime-node", "ort-cpu", 256, 1200, 30_000, "i8/ort/256"),
        ],
      },
      {
        id: "calibrators",
        title: "observers",
        package: "@quantkit/calibrators",
        status: "ok",
        reason: null,
        source: "fixture",
        durationMs: 9000,
        backends: ["js"],
        timings: [],
        ratios: [],
        metrics: ["minmax", "percentile", "mse"].flatMap((observer, i) =>
          [n1].map(
            (size): Metric => ({
              id: `range-error/${observer}/${size}`,
              kind: "range-error",
              label: `${observer} range error`,
              value: [1.39, 0.05, 0.04][i]!,
              unit: "mse",
              better: "lower",
              params: { observer, size, distribution: "uniform+outlier" },
            }),
          ),
        ),
        notes: [],
      },
      {
        id: "kernels-gpu",
        title: "gpu.js",
        package: "@quantkit/kernels-gpu",
        status: "skipped",
        reason: "no gpu.js backend in this fixture",
        source: null,
        durationMs: 1,
        backends: [],
        timings: [],
        ratios: [],
        metrics: [],
        notes: [],
      },
      {
        id: "e2e",
        title: "MLP",
        package: "@quantkit/ptq, @quantkit/qat",
        status: "ok",
        reason: null,
        source: "fixture",
        durationMs: 60000,
        backends: ["js"],
        timings: [],
        ratios: [],
        metrics: [
          {
            id: "accuracy/fp32",
            kind: "accuracy",
            label: "fp32 accuracy",
            value: 0.963,
            unit: "fraction",
            better: "higher",
            params: { method: "fp32" },
          },
          ...bits.map((b, i) => accuracy("ptq", b, "minmax", ptq[i]!)),
          ...bits.map((b, i) => accuracy("qat", b, "minmax", qat[i]!)),
        ],
        notes: options.failed
          ? ["FAIL mnist: fp32 within 1.5 points of PyTorch 1.13 (0.975): fp32 0.963: -1.20 points"]
          : [],
      },
      ...(options.failed
        ? [
            {
              id: "quantizers",
              title: "quantize",
              package: "@quantkit/quantizers",
              status: "failed" as const,
              reason:
                "RangeError: quantize: scale must be > 0, got 0\n    at quantize (packages/quantizers/src/quantize.ts:40:11)",
              source: null,
              durationMs: 1200,
              backends: [],
              timings: [],
              ratios: [],
              metrics: [],
              notes: [],
            },
          ]
        : []),
    ],
  };
}
