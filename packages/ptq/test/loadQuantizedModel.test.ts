import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadQuantizedModel, saveQuantizedModel } from "../src/index";
import { randomInput, smallQuantizedMlp } from "./_fixtures";

describe("saving and loading name what is wrong (items 14, 18)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-ptq-load-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it("loadQuantizedModel('/dev/zero') is an error at once, not a read without end", async () => {
    await expect(loadQuantizedModel("/dev/zero")).rejects.toThrow(
      "/dev/zero is a device, not a regular file",
    );
    await expect(loadQuantizedModel(dir)).rejects.toThrow("is a directory, not a regular file");
  });
  it("a saved model loads back and predicts the same", async () => {
    const m = await smallQuantizedMlp();
    const p = join(dir, "ok.safetensors");
    await saveQuantizedModel(p, m, { metadata: { run_id: "r1" } });
    const x = randomInput(2 * 20, 3);
    expect((await loadQuantizedModel(p)).forward(x, 2).data).toEqual(m.forward(x, 2).data);
  });
});
