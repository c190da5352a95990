import { describe, expect, it } from "vitest";
import { datasetFromIdx, parseIdx } from "../src/index";
import { imagesFile, labelsFile } from "./_idxFiles";

describe("degenerate numbers and empty sets are errors where they enter (items 5, 18)", () => {
  it("datasetFromIdx and batches reject unknown option keys", () => {
    const images = parseIdx(imagesFile(2, 1, 2));
    const labels = parseIdx(labelsFile([0, 1]));
    expect(() => datasetFromIdx(images, labels, { classes: 2 } as never)).toThrow(/unknown key "classes"/);
  });
});

describe("datasetFromIdx", () => {
  const images = parseIdx(imagesFile(3, 2, 2, (i, p) => 60 * i + p));
  const labels = parseIdx(labelsFile([4, 0, 9]));
  it("scales pixels by 1/255 in float32 like ToTensor", () => {
    const ds = datasetFromIdx(images, labels);
    expect([ds.count, ds.rows, ds.cols]).toEqual([3, 2, 2]);
    expect(Array.from(ds.labels)).toEqual([4, 0, 9]);
    expect(ds.images[0]).toBe(0);
    expect(ds.images[5]).toBe(Math.fround(61 / 255));
  });
  it("rejects swapped files, mismatched counts and labels out of range", () => {
    expect(() => datasetFromIdx(labels, images, { imagesName: "a", labelsName: "b" })).toThrow(
      "a must hold uint8 images [count, rows, cols] (magic 0x00000803), got uint8 [3]",
    );
    expect(() => datasetFromIdx(images, parseIdx(labelsFile([1, 2])))).toThrow(
      "labels count 2 (labels) != images count 3 (images)",
    );
    expect(() => datasetFromIdx(images, parseIdx(labelsFile([1, 10, 2])))).toThrow(
      "labels[1] is 10, outside the classes 0..9",
    );
    expect(datasetFromIdx(images, parseIdx(labelsFile([1, 10, 2])), { numClasses: 11 }).labels[1]).toBe(10);
  });
});
