import { assertOptions, readRegularFile } from "@quantkit/tensor";
import type { DatasetSplit } from "./dataset";
import { datasetFromIdx } from "./datasetFromIdx";
import { _isNode } from "./gunzip";
import { readIdx } from "./readIdx";

/** The default largest file a loader reads: 1 GiB (Fashion-MNIST's largest file is 47 MB). */
const MAX_FILE_BYTES = 2 ** 30;

/** Options of {@link loadMnistIdx}. */
export interface LoadMnistIdxOptions {
  /** A prefix of every file name, e.g. "emnist-digits-". Default "". */
  prefix?: string;
  /** Labels must be below this. Default 10. */
  numClasses?: number;
  /** The largest file (and the largest inflated gzip content) read. Default 2^30 bytes (1 GiB). */
  maxBytes?: number;
}

const STEMS = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** The names a file goes by: `train-images-idx3-ubyte` or `train-images.idx3-ubyte`, gzip or not. */
function candidates(dir: string, prefix: string, stem: string): string[] {
  const sep = dir === "" || dir.endsWith("/") || dir.endsWith("\\") ? "" : "/";
  const dotted = stem.replace(/-(idx\d)-/, ".$1-");
  return [`${stem}.gz`, stem, `${dotted}.gz`, dotted].map((f) => `${dir}${sep}${prefix}${f}`);
}

async function readFirst(paths: string[], maxBytes: number): Promise<{ path: string; bytes: Uint8Array }> {
  for (const path of paths) {
    const bytes = await readRegularFile(path, maxBytes);
    if (bytes !== null) return { path, bytes };
  }
  throw new RangeError(`no MNIST-format file found; looked for ${paths.join(", ")}`);
}

/**
 * Loads an MNIST-format directory (Node only): `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each raw or `.gz` (the dotted names
 * `train-images.idx3-ubyte` work too), with an optional common prefix. Pixels are scaled to [0, 1];
 * apply {@link normalize} for the seed's normalisation. Corrupt, truncated or mismatched files throw a
 * RangeError naming the file. In a browser, fetch the bytes and use {@link readIdx} and {@link datasetFromIdx}.
 *
 * @param dir the directory holding the four files
 *
 * @example
 * const { train, test } = await loadMnistIdx("/data/mnist");
 * train.count // 60000
 */
export async function loadMnistIdx(dir: string, options: LoadMnistIdxOptions = {}): Promise<DatasetSplit> {
  if (typeof dir !== "string") throw new TypeError(`dir must be a string, got ${typeof dir}`);
  if (!_isNode()) {
    throw new TypeError(
      "loadMnistIdx reads files and needs Node; in a browser fetch the bytes and call readIdx",
    );
  }
  assertOptions(options, ["prefix", "numClasses", "maxBytes"], "loadMnistIdx options");
  const prefix = options.prefix ?? "";
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    throw new RangeError(`loadMnistIdx: maxBytes must be a positive integer, got ${maxBytes}`);
  const load = async (imagesStem: string, labelsStem: string) => {
    const images = await readFirst(candidates(dir, prefix, imagesStem), maxBytes);
    const labels = await readFirst(candidates(dir, prefix, labelsStem), maxBytes);
    return datasetFromIdx(
      await readIdx(images.bytes, images.path, { maxBytes }),
      await readIdx(labels.bytes, labels.path, { maxBytes }),
      {
        imagesName: images.path,
        labelsName: labels.path,
        ...(options.numClasses === undefined ? {} : { numClasses: options.numClasses }),
      },
    );
  };
  const train = await load(STEMS.trainImages, STEMS.trainLabels);
  const test = await load(STEMS.testImages, STEMS.testLabels);
  return { train, test };
}
