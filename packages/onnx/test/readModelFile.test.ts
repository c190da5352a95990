import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readModel } from "../src/index";
import { readModelFile, writeModelFile } from "../src/node";
import { MODELS, modelBytes } from "./_fixtures";

const dir = mkdtempSync(join(tmpdir(), "quantkit-onnx-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("@quantkit/onnx/node: files", () => {
  it("errors: missing file, a folder, over maxBytes, missing external file", async () => {
    await expect(readModelFile(join(dir, "nope.onnx"))).rejects.toThrow(
      /nope\.onnx": cannot read \(ENOENT\)/,
    );
    mkdirSync(join(dir, "folder.onnx"));
    await expect(readModelFile(join(dir, "folder.onnx"))).rejects.toThrow(
      /folder\.onnx": not a regular file/,
    );
    await expect(readModelFile(MODELS.ocrCls, { maxBytes: 1000 })).rejects.toThrow(
      /578966 bytes is over maxBytes 1000/,
    );
    const path = join(dir, "ext.onnx");
    await writeModelFile(path, readModel(modelBytes("ocrCls")), { externalData: { location: "w.data" } });
    rmSync(join(dir, "w.data"));
    await expect(readModelFile(path)).rejects.toThrow(
      /cannot read external data file "w\.data": .*w\.data": cannot read \(ENOENT\)/,
    );
    writeFileSync(join(dir, "junk.onnx"), "not a model at all");
    await expect(readModelFile(join(dir, "junk.onnx"))).rejects.toThrow(
      /readModel\(.*junk\.onnx\): not an ONNX model/,
    );
  });
});
