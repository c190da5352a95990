import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMlp } from "@quantkit/nn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultQConfig,
  loadQuantizedModel,
  saveQuantizedModel,
  serializeQuantizedModel,
} from "../src/index";
import { quantizedModel, randomInput } from "./_fixtures";

describe("saving and loading name what is wrong (items 14, 18)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-ptq-save-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it("saveQuantizedModel(path, {}) names the argument instead of reading properties of undefined", async () => {
    await expect(saveQuantizedModel(join(dir, "m.safetensors"), {} as never)).rejects.toThrow(
      "saveQuantizedModel: model must be a QuantizedModel (from convert or loadQuantizedModel), got [object Object]",
    );
  });
});

describe("the integer model on disk", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-ptq-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it("saveQuantizedModel writes the file atomically and returns its size; loadQuantizedModel reads it back", async () => {
    const q = await quantizedModel(createMlp([20, 12, 6], { seed: 2 }), defaultQConfig, [20]);
    const path = join(dir, "mlp-int8.safetensors");
    const size = await saveQuantizedModel(path, q);
    expect((await stat(path)).size).toBe(size);
    expect(new Uint8Array(await readFile(path))).toEqual(serializeQuantizedModel(q));
    const back = await loadQuantizedModel(path);
    const x = randomInput(5 * 20, 1);
    expect(Array.from(back.predict(x, 5))).toEqual(Array.from(q.predict(x, 5)));
    await expect(loadQuantizedModel(join(dir, "missing.safetensors"))).rejects.toThrow(/ENOENT/);
  });
});
