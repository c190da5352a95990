import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSafetensors, saveSafetensors } from "../src/index";

describe("saveSafetensors / loadSafetensors (Node)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-st-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it("writes through a temporary file renamed into place, and overwrites", async () => {
    const path = join(dir, "a.safetensors");
    await writeFile(path, "old");
    const n = await saveSafetensors(
      path,
      { w: { data: new Int8Array([1, 2, 3]), shape: [3] } },
      { bits: "8" },
    );
    expect(n).toBe((await readFile(path)).length);
    expect(await readdir(dir)).toEqual(["a.safetensors"]);
    const { tensors, metadata } = await loadSafetensors(path);
    expect(Array.from(tensors.w!.data as Int8Array)).toEqual([1, 2, 3]);
    expect(metadata).toEqual({ bits: "8" });
  });
  it("leaves nothing behind when the write fails, and names the path of a corrupt file", async () => {
    await expect(saveSafetensors(join(dir, "missing", "x.safetensors"), {})).rejects.toThrow(/ENOENT/);
    await expect(
      saveSafetensors(join(dir, "b.safetensors"), { w: { data: new Float32Array(1), shape: [2] } }),
    ).rejects.toThrow(/needs 2/);
    expect(await readdir(dir)).toEqual(["a.safetensors"]);
    const bad = join(dir, "a.safetensors");
    const bytes = await readFile(bad);
    await writeFile(bad, bytes.subarray(0, bytes.length - 1));
    await expect(loadSafetensors(bad)).rejects.toThrow(
      `${bad}: tensor "w": data_offsets [0, 3] run past the 2 data bytes (file truncated?)`,
    );
  });
});

describe("loadSafetensors checks the file before reading it (item 14)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-nn-read-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it("/dev/zero, a FIFO and a directory are errors at once, naming the path", async () => {
    await expect(loadSafetensors("/dev/zero")).rejects.toThrow("/dev/zero is a device, not a regular file");
    const fifo = join(dir, "pipe.safetensors");
    execFileSync("mkfifo", [fifo]);
    await expect(loadSafetensors(fifo)).rejects.toThrow(`${fifo} is a FIFO, not a regular file`);
    await expect(loadSafetensors(dir)).rejects.toThrow(`${dir} is a directory, not a regular file`);
  });
  it("a file over maxBytes is rejected from its size; a missing file names its path", async () => {
    const p = join(dir, "m.safetensors");
    const n = await saveSafetensors(
      p,
      { w: { data: new Float32Array(100), shape: [100] } },
      {},
      { checksum: true },
    );
    await expect(loadSafetensors(p, { maxBytes: n - 1 })).rejects.toThrow(`more than the limit of ${n - 1}`);
    expect((await loadSafetensors(p)).tensors.w!.shape).toEqual([100]);
    await expect(loadSafetensors(join(dir, "none"))).rejects.toThrow(/none: no such file/);
    await writeFile(join(dir, "x"), "");
  });
});
