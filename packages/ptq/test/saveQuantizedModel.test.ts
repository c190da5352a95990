import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveQuantizedModel } from "../src/index";

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
