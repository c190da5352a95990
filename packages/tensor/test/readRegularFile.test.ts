import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRegularFile } from "../src/index";

const dir = mkdtempSync(join(tmpdir(), "quantkit-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readRegularFile", () => {
  it("reads a regular file's bytes, and gives null for a missing one", async () => {
    const path = join(dir, "a.bin");
    writeFileSync(path, Uint8Array.of(1, 2, 3, 250));
    expect(Array.from((await readRegularFile(path, 4))!)).toEqual([1, 2, 3, 250]);
    expect(await readRegularFile(join(dir, "missing.bin"), 4)).toBeNull();
  });

  it("refuses a directory, a device and a file over maxBytes, naming the path", async () => {
    await expect(readRegularFile(dir, 100)).rejects.toThrow(`${dir} is a directory, not a regular file`);
    await expect(readRegularFile("/dev/zero", 100)).rejects.toThrow(
      "/dev/zero is a device, not a regular file",
    );
    const path = join(dir, "big.bin");
    writeFileSync(path, new Uint8Array(10));
    await expect(readRegularFile(path, 9)).rejects.toThrow(
      `${path} is 10 bytes, more than the limit of 9 (maxBytes)`,
    );
    await expect(readRegularFile(path, -1)).rejects.toThrow(
      "maxBytes must be a non-negative integer, got -1",
    );
  });
});
