import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnistIdx } from "../src/index";
import { imagesFile, labelsFile } from "./_idxFiles";

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

describe("loadMnistIdx reads an MNIST-format directory", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-idx-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads gzip and raw files, with a prefix and the dotted names", async () => {
    await writeFile(join(dir, "p-train-images-idx3-ubyte.gz"), gzipSync(imagesFile(5, 3, 2, (i) => i * 50)));
    await writeFile(join(dir, "p-train-labels-idx1-ubyte"), labelsFile([0, 1, 2, 3, 4]));
    await writeFile(
      join(dir, "p-t10k-images.idx3-ubyte"),
      imagesFile(2, 3, 2, () => 255),
    );
    await writeFile(join(dir, "p-t10k-labels.idx1-ubyte.gz"), gzipSync(labelsFile([7, 8])));
    const { train, test } = await loadMnistIdx(dir, { prefix: "p-" });
    expect([train.count, train.rows, train.cols, test.count]).toEqual([5, 3, 2, 2]);
    expect(train.images[4 * 6]).toBe(Math.fround(200 / 255));
    expect(Array.from(test.labels)).toEqual([7, 8]);
    expect(Array.from(test.images)).toEqual(new Array(12).fill(1));
  });
  it("names the file in the error for a missing, truncated or mismatched file", async () => {
    await expect(loadMnistIdx(join(dir, "nothing"))).rejects.toThrow(
      /no MNIST-format file found; looked for .*train-images-idx3-ubyte.gz/,
    );
    await writeFile(join(dir, "q-train-images-idx3-ubyte"), imagesFile(5, 3, 2, () => 1).subarray(0, 40));
    await writeFile(join(dir, "q-train-labels-idx1-ubyte"), labelsFile([0, 1, 2, 3, 4]));
    await expect(loadMnistIdx(dir, { prefix: "q-" })).rejects.toThrow(
      /q-train-images-idx3-ubyte is truncated: dimensions \[5, 3, 2\] of uint8 need 30 data bytes but the file has 24/,
    );
    await writeFile(
      join(dir, "r-train-images-idx3-ubyte"),
      imagesFile(5, 3, 2, () => 1),
    );
    await writeFile(join(dir, "r-train-labels-idx1-ubyte.gz"), gzipSync(labelsFile([0, 1, 2, 3])));
    await expect(loadMnistIdx(dir, { prefix: "r-" })).rejects.toThrow(
      /labels count 4 \(.*r-train-labels.*\) != images count 5/,
    );
    await writeFile(join(dir, "s-train-images-idx3-ubyte"), labelsFile([1, 2]));
    await writeFile(join(dir, "s-train-labels-idx1-ubyte"), labelsFile([1, 2]));
    await expect(loadMnistIdx(dir, { prefix: "s-" })).rejects.toThrow(
      /s-train-images-idx3-ubyte must hold uint8 images/,
    );
  });
});
