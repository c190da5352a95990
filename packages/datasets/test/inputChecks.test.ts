// Issue 15, items 5, 14, 15, 17, 18 (datasets): readers check the file before reading, gzip inflation is
// bounded by its declared size, and degenerate numbers and empty sets are errors that name what is wrong.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { _gunzipWeb } from "../src/gunzip";
import {
  batches,
  createDataset,
  datasetFromIdx,
  gunzip,
  loadMnistIdx,
  normalize,
  parseIdx,
  readIdx,
  shuffleDataset,
} from "../src/index";

function imagesFile(count: number, rows: number, cols: number): Uint8Array {
  const bytes = new Uint8Array(16 + count * rows * cols).fill(7, 16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x803, false);
  view.setUint32(4, count, false);
  view.setUint32(8, rows, false);
  view.setUint32(12, cols, false);
  return bytes;
}
function labelsFile(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  new DataView(bytes.buffer).setUint32(0, 0x801, false);
  new DataView(bytes.buffer).setUint32(4, labels.length, false);
  bytes.set(labels, 8);
  return bytes;
}
/** A gzip stream whose ISIZE trailer claims `declared` bytes. */
function withDeclaredSize(gz: Uint8Array, declared: number): Uint8Array {
  const out = new Uint8Array(gz); // a copy (Buffer.slice would share the bytes)
  new DataView(out.buffer).setUint32(out.length - 4, declared, true);
  return out;
}

describe("gunzip is bounded by the size the stream declares (item 15)", () => {
  it("a stream that inflates past its declared size is rejected there, not after inflating it all", async () => {
    const bomb = withDeclaredSize(gzipSync(new Uint8Array(50_000_000)), 10); // 48 KB of gzip, 50 MB inside
    await expect(gunzip(bomb, "bomb.gz")).rejects.toThrow(
      "bomb.gz: the gzip data inflates past 10 bytes, the size it declares or maxBytes",
    );
  });
  it("the DecompressionStream path (browsers) stops at the bound too", async () => {
    const bomb = gzipSync(new Uint8Array(5_000_000));
    await expect(_gunzipWeb(bomb, "bomb.gz", 10)).rejects.toThrow(
      "bomb.gz: the gzip data inflates past 10 bytes",
    );
  });
  it("inflation stops at maxBytes; a declared size the data does not reach is an error", async () => {
    const gz = gzipSync(new Uint8Array(1000));
    await expect(gunzip(gz, "a.gz", { maxBytes: 999 })).rejects.toThrow(
      /a.gz: the gzip data inflates past 999 bytes/,
    );
    await expect(gunzip(withDeclaredSize(gz, 2000), "a.gz")).rejects.toThrow(
      /a.gz: the gzip data (is truncated or corrupt|inflates to 1000 bytes but declares 2000)/,
    );
    expect((await gunzip(gz, "a.gz")).length).toBe(1000);
  });
  it("readIdx passes the bound on", async () => {
    const gz = gzipSync(labelsFile([1, 2, 3]));
    await expect(readIdx(gz, "l.gz", { maxBytes: 4 })).rejects.toThrow(
      /l.gz: the gzip data inflates past 4 bytes/,
    );
    expect((await readIdx(gz, "l.gz")).shape).toEqual([3]);
  });
});

describe("loadMnistIdx checks each file before reading it (items 14, 17)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-bounded-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("a directory in a file's place is an error naming the path, not EISDIR", async () => {
    const d = join(dir, "dir");
    await mkdir(join(d, "train-images-idx3-ubyte"), { recursive: true });
    await expect(loadMnistIdx(d)).rejects.toThrow(
      `${join(d, "train-images-idx3-ubyte")} is a directory, not a regular file`,
    );
  });

  it("a FIFO is rejected at once instead of blocking forever", async () => {
    const d = join(dir, "fifo");
    await mkdir(d);
    execFileSync("mkfifo", [join(d, "train-images-idx3-ubyte")]);
    await expect(loadMnistIdx(d)).rejects.toThrow(/is a FIFO, not a regular file/);
  });

  it("a file over maxBytes is rejected from its size, before reading", async () => {
    const d = join(dir, "big");
    await mkdir(d);
    await writeFile(join(d, "train-images-idx3-ubyte"), imagesFile(10, 28, 28));
    await expect(loadMnistIdx(d, { maxBytes: 1000 })).rejects.toThrow(
      /is 7856 bytes, more than the limit of 1000 \(maxBytes\)/,
    );
  });

  it("an image file with no images names the file (not 'mean must be finite, got NaN')", async () => {
    const d = join(dir, "empty");
    await mkdir(d);
    await writeFile(join(d, "train-images-idx3-ubyte"), imagesFile(0, 28, 28));
    await writeFile(join(d, "train-labels-idx1-ubyte"), labelsFile([]));
    await expect(loadMnistIdx(d)).rejects.toThrow(`${join(d, "train-images-idx3-ubyte")} holds no images`);
  });

  it("unknown option keys are errors", async () => {
    await expect(loadMnistIdx(dir, { maxbytes: 1 } as never)).rejects.toThrow(/unknown key "maxbytes"/);
  });
});

describe("degenerate numbers and empty sets are errors where they enter (items 5, 18)", () => {
  const ds = createDataset(new Float32Array([0, 0.5, 1, 0.25]), new Uint8Array([1, 2]), 1, 2);
  it("normalize rejects a std or mean that makes a pixel Infinity or NaN in float32", () => {
    expect(() => normalize(ds, { std: 1e-45 })).toThrow(
      /normalize: mean 0.1307 and std 1e-45 map the pixel value 0 to -Infinity in float32/,
    );
    expect(() => normalize(ds, { mean: 1e39 })).toThrow(/mean must be finite in float32, got 1e\+39/);
    expect(() => normalize(ds, { std: 1e-50 })).toThrow(/std must be positive and finite in float32/);
    expect(() => normalize(ds, { sdt: 1 } as never)).toThrow(/unknown key "sdt"/);
    expect(normalize(ds, { mean: 0.5, std: 0.5 }).images).toEqual(new Float32Array([-1, 0, 1, -0.5]));
  });
  it("createDataset rejects NaN pixels and an empty set", () => {
    expect(() => createDataset(new Float32Array([0, Number.NaN]), new Uint8Array([1]), 1, 2)).toThrow(
      "images[1] (image 0, pixel 1) is NaN; pixels must be finite",
    );
    expect(() => createDataset(new Float32Array(0), new Uint8Array(0), 1, 2)).toThrow(/images is empty/);
  });
  it("shuffleDataset names a seed that is neither a number nor an Rng", () => {
    expect(() => shuffleDataset(ds, "abc" as never)).toThrow(
      'shuffleDataset: rngOrSeed must be an integer seed or an Rng, got string "abc"',
    );
  });
  it("datasetFromIdx and batches reject unknown option keys", () => {
    const images = parseIdx(imagesFile(2, 1, 2));
    const labels = parseIdx(labelsFile([0, 1]));
    expect(() => datasetFromIdx(images, labels, { classes: 2 } as never)).toThrow(/unknown key "classes"/);
    expect(() => batches(ds, { batch: 2 } as never)).toThrow(/batches options has an unknown key "batch"/);
  });
});
