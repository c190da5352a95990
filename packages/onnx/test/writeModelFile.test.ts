import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readModel, writeModel } from "../src/index";
import { readModelFile, writeModelFile } from "../src/node";
import { modelBytes } from "./_fixtures";

/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

const dir = mkdtempSync(join(tmpdir(), "quantkit-onnx-write-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("@quantkit/onnx/node: files", () => {
  it("writeModelFile + readModelFile round-trip a real model byte for byte, atomically", async () => {
    const path = join(dir, "cls.onnx");
    const bytes = modelBytes("ocrCls");
    expect(await writeModelFile(path, readModel(bytes))).toBe(bytes.length);
    expect(same(readFileSync(path), bytes)).toBe(true);
    expect(same(writeModel(await readModelFile(path)), bytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("with external data: writes model + data file, reads them back to the original model", async () => {
    const path = join(dir, "rec.onnx");
    const bytes = modelBytes("ocrRec");
    await writeModelFile(path, readModel(bytes), { externalData: true });
    expect(statSync(path).size).toBeLessThan(bytes.length / 4);
    expect(statSync(`${path}.data`).size).toBeGreaterThan(bytes.length * 0.9);
    const back = await readModelFile(path);
    expect(same(writeModel(back), bytes)).toBe(true);
  });
});
