// PP-OCR inputs from the text-line fixture (fixtures/text-lines: 48-pixel grey lines rendered with
// DejaVu fonts) and the two read-outs the acceptance checks compare: the recogniser's CTC-decoded
// string (as class indices) and the direction classifier's top-1.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { argmax } from "@quantkit/nn";

export interface TextLines {
  count: number;
  height: number;
  paddedWidth: number;
  widths: number[];
  texts: string[];
  /** Lines rendered upside down (the direction classifier's 180-degree class). */
  rotated: boolean[];
  pixels: Uint8Array;
}

/** Reads fixtures/text-lines (index.json + images.u8.gz) from `dir`. */
export function readTextLines(dir: string): TextLines {
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as {
    count: number;
    height: number;
    paddedWidth: number;
    lines: { text: string; width: number; rotated: boolean }[];
  };
  const pixels = new Uint8Array(gunzipSync(readFileSync(join(dir, "images.u8.gz"))));
  if (pixels.length !== index.count * index.height * index.paddedWidth) {
    throw new Error(
      `text-lines: ${pixels.length} bytes for ${index.count} x ${index.height} x ${index.paddedWidth}`,
    );
  }
  return {
    count: index.count,
    height: index.height,
    paddedWidth: index.paddedWidth,
    widths: index.lines.map((l) => l.width),
    texts: index.lines.map((l) => l.text),
    rotated: index.lines.map((l) => l.rotated),
    pixels,
  };
}

/** PaddleOCR's normalisation, (v / 255 - 0.5) / 0.5, grey copied to three channels: [1, 3, 48, width]. */
export function recInput(lines: TextLines, i: number): { data: Float32Array; dims: number[] } {
  const { height: h, paddedWidth: w } = lines;
  const data = new Float32Array(3 * h * w);
  const base = i * h * w;
  for (let p = 0; p < h * w; p++) {
    const v = (lines.pixels[base + p]! / 255 - 0.5) / 0.5;
    data[p] = v;
    data[h * w + p] = v;
    data[2 * h * w + p] = v;
  }
  return { data, dims: [1, 3, h, w] };
}

/**
 * The recogniser's input as PP-OCR's pipeline feeds one detected line: turned upright (the direction
 * classifier's job; rotated lines are turned back within their width) and cropped to its own width,
 * [1, 3, 48, width], normalised as {@link recInput}.
 */
export function recLine(lines: TextLines, i: number): { data: Float32Array; dims: number[] } {
  const { height: h, paddedWidth: pw } = lines;
  const w = lines.widths[i]!;
  const turn = lines.rotated[i]!;
  const data = new Float32Array(3 * h * w);
  const base = i * h * pw;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = turn ? (h - 1 - y) * pw + (w - 1 - x) : y * pw + x;
      const v = (lines.pixels[base + src]! / 255 - 0.5) / 0.5;
      const p = y * w + x;
      data[p] = v;
      data[h * w + p] = v;
      data[2 * h * w + p] = v;
    }
  }
  return { data, dims: [1, 3, h, w] };
}

/** The classifier's [1, 3, 48, 192] input: the line's columns resized to at most 192 (linear), zero-padded. */
export function clsInput(lines: TextLines, i: number): { data: Float32Array; dims: number[] } {
  const { height: h, paddedWidth: pw } = lines;
  const width = lines.widths[i]!;
  const outW = 192;
  const target = Math.min(outW, Math.ceil(width));
  const data = new Float32Array(3 * h * outW);
  const base = i * h * pw;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < target; x++) {
      const src = ((x + 0.5) * width) / target - 0.5;
      const x0 = Math.max(0, Math.floor(src));
      const x1 = Math.min(width - 1, x0 + 1);
      const t = Math.min(1, Math.max(0, src - x0));
      const v = lines.pixels[base + y * pw + x0]! * (1 - t) + lines.pixels[base + y * pw + x1]! * t;
      const n = (v / 255 - 0.5) / 0.5;
      for (let c = 0; c < 3; c++) data[c * h * outW + y * outW + x] = n;
    }
  }
  return { data, dims: [1, 3, h, outW] };
}

/** Greedy CTC decoding of [1, T, C] probabilities: argmax per step, repeats collapsed, blank (0) dropped. */
export function ctcDecode(probs: Float32Array, dims: readonly number[]): string {
  const t = dims[1]!;
  const c = dims[2]!;
  const out: number[] = [];
  let prev = -1;
  for (let s = 0; s < t; s++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (probs[s * c + k]! > probs[s * c + best]!) best = k;
    if (best !== prev && best !== 0) out.push(best);
    prev = best;
  }
  return out.join(",");
}

/** The recogniser's class names: class c (1-based) is line c of ppocr_keys_v1.txt, the class after them a space. */
export function recDictionary(keysFile: string): string[] {
  const keys = readFileSync(keysFile, "utf8").split("\n");
  if (keys.at(-1) === "") keys.pop();
  return ["", ...keys, " "];
}

/** The text of a {@link ctcDecode} result, leading and trailing spaces dropped (as OCR output is read). */
export function recText(decoded: string, dictionary: readonly string[]): string {
  if (decoded === "") return "";
  return decoded
    .split(",")
    .map((c) => dictionary[Number(c)] ?? "?")
    .join("")
    .trim();
}

/** The direction classifier's top-1 class from its [1, C] probabilities: nn's argmax of the one row. */
export function clsTop1(probs: Float32Array, dims: readonly number[]): number {
  if (dims.length !== 2 || dims[0] !== 1)
    throw new RangeError(`clsTop1: dims [${dims.join(", ")}] are not [1, C]`);
  return argmax(probs, dims)[0]!;
}
