import { readdir, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { float16 } from "@quantkit/numeric";
import { type Dim, dataTypeName } from "@quantkit/onnx";
import { type NamedTensor, readTensors } from "../tensorFile";

/** A tensor as onnxruntime (and @quantkit/onnx's InferenceEngine) takes it. */
export interface FeedTensor {
  type: string;
  data: Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;
  dims: number[];
}

/** One calibration sample: where it came from and a tensor per graph input. */
export interface CalibrationSample {
  name: string;
  feeds: Record<string, FeedTensor>;
}

/** A graph input the samples must fit. */
export interface GraphInput {
  name: string;
  elemType: number;
  shape: Dim[] | undefined;
}

const SAMPLE_EXTENSIONS = new Set([".safetensors", ".npy"]);

/**
 * Reads the calibration samples of `dir` for a model with `inputs`, in name order: each
 * `.safetensors` file is one sample (a tensor per graph input, by name); each `.npy` file is one
 * sample of a model with one input; each sub-folder is one sample of `<input>.npy` and/or
 * `.safetensors` files. Values are converted to the input's data type (float32, float16, int8,
 * uint8, int32, int64, bool). Files are read by @quantkit/demo's tensor-file reader (the one
 * `quantkit quantize` uses). Errors name the file, the input and the value that does not fit.
 */
export async function readCalibrationSamples(
  dir: string,
  inputs: readonly GraphInput[],
  maxSamples = Number.POSITIVE_INFINITY,
): Promise<CalibrationSample[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter((e) => !e.startsWith(".")).sort();
  } catch (error) {
    throw new Error(
      `--calibration ${dir}: cannot read the folder (${(error as { code?: string }).code ?? error})`,
    );
  }
  const samples: CalibrationSample[] = [];
  for (const entry of entries) {
    if (samples.length >= maxSamples) break;
    const path = join(dir, entry);
    const info = await stat(path);
    let tensors: NamedTensor[];
    if (info.isDirectory()) {
      tensors = await _readFolder(path);
      if (tensors.length === 0) continue;
    } else if (SAMPLE_EXTENSIONS.has(extname(entry).toLowerCase())) {
      tensors = await readTensors(path);
      if (extname(entry).toLowerCase() === ".npy") {
        if (inputs.length !== 1) {
          throw new RangeError(
            `${path}: a .npy sample fits a model with one input; this one has ${inputs.length} (${inputs.map((i) => i.name).join(", ")}): use a .safetensors file or a folder of <input>.npy files per sample`,
          );
        }
        tensors = tensors.map((t) => ({ ...t, name: inputs[0]!.name }));
      }
    } else {
      continue;
    }
    samples.push({ name: path, feeds: toFeeds(path, tensors, inputs) });
  }
  if (samples.length === 0)
    throw new RangeError(`--calibration ${dir}: no samples (.safetensors or .npy files, or folders of them)`);
  return samples;
}

async function _readFolder(path: string): Promise<NamedTensor[]> {
  const out: NamedTensor[] = [];
  for (const f of (await readdir(path)).sort()) {
    const ext = extname(f).toLowerCase();
    if (f.startsWith(".") || !SAMPLE_EXTENSIONS.has(ext)) continue;
    const tensors = await readTensors(join(path, f));
    out.push(...(ext === ".npy" ? tensors.map((t) => ({ ...t, name: basename(f, extname(f)) })) : tensors));
  }
  return out;
}

/** The tensors of one sample as feeds of `inputs`: names, shapes and values checked. */
export function toFeeds(
  where: string,
  tensors: readonly NamedTensor[],
  inputs: readonly GraphInput[],
): Record<string, FeedTensor> {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const feeds: Record<string, FeedTensor> = {};
  for (const input of inputs) {
    const t = byName.get(input.name);
    if (t === undefined) {
      throw new RangeError(
        `${where}: no tensor for the graph input "${input.name}" (the sample has ${[...byName.keys()].map((n) => `"${n}"`).join(", ") || "none"})`,
      );
    }
    byName.delete(input.name);
    _checkShape(where, input, t.shape);
    feeds[input.name] = _convert(where, input, t);
  }
  if (byName.size > 0) {
    throw new RangeError(
      `${where}: tensor "${[...byName.keys()][0]}" is no graph input (the inputs are ${inputs.map((i) => `"${i.name}"`).join(", ")})`,
    );
  }
  return feeds;
}

function _checkShape(where: string, input: GraphInput, shape: readonly number[]): void {
  const want = input.shape;
  if (want === undefined) return;
  const fits = want.length === shape.length && want.every((d, i) => typeof d !== "number" || d === shape[i]);
  if (!fits) {
    throw new RangeError(
      `${where}: input "${input.name}" has shape [${shape.join(", ")}], the graph wants [${want.map((d) => d ?? "?").join(", ")}]`,
    );
  }
}

function _convert(where: string, input: GraphInput, t: NamedTensor): FeedTensor {
  const dims = [...t.shape];
  const ints = (min: number, max: number) => {
    for (const v of t.data) {
      if (!Number.isInteger(v) || v < min || v > max)
        throw new RangeError(
          `${where}: input "${input.name}" is ${dataTypeName(input.elemType)}, the sample holds ${v}`,
        );
    }
  };
  switch (input.elemType) {
    case 1:
      return { type: "float32", data: t.data, dims };
    case 10:
      return { type: "float16", data: float16.encodeArray(t.data) as Uint16Array, dims };
    case 2:
      ints(0, 255);
      return { type: "uint8", data: Uint8Array.from(t.data), dims };
    case 3:
      ints(-128, 127);
      return { type: "int8", data: Int8Array.from(t.data), dims };
    case 6:
      ints(-(2 ** 31), 2 ** 31 - 1);
      return { type: "int32", data: Int32Array.from(t.data), dims };
    case 7:
      ints(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return { type: "int64", data: BigInt64Array.from(t.data, (v) => BigInt(v)), dims };
    case 9:
      ints(0, 1);
      return { type: "bool", data: Uint8Array.from(t.data), dims };
    default:
      throw new RangeError(
        `${where}: input "${input.name}" is ${dataTypeName(input.elemType)}: calibration samples of that type are not supported`,
      );
  }
}
