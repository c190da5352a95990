import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeSafetensors } from "@quantkit/nn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npyBytes as npy } from "./_npyBytes";
import { parseNpy, readTensors } from "./tensorFile";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("parseNpy", () => {
  it("reads little-endian float32 and big-endian float64 arrays with their shapes", () => {
    const a = parseNpy(npy("<f4", [2, 2], new Float32Array([1, -2, 0.5, 3])), "a.npy");
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual([1, -2, 0.5, 3]);
    const be = new DataView(new ArrayBuffer(16));
    be.setFloat64(0, 0.25, false);
    be.setFloat64(8, -8, false);
    const b = parseNpy(npy(">f8", [2], be), "b.npy");
    expect(Array.from(b.data)).toEqual([0.25, -8]);
    expect(b.dtype).toBe(">f8");
    expect(Array.from(parseNpy(npy("|i1", [3], new Int8Array([-128, 0, 127])), "c.npy").data)).toEqual([
      -128, 0, 127,
    ]);
  });

  it("rejects what it cannot read, naming the file", () => {
    expect(() => parseNpy(new Uint8Array(20), "x.npy")).toThrow(/x.npy: not a .npy file/);
    expect(() => parseNpy(npy("<f4", [2], new Float32Array([1, 2]), true), "f.npy")).toThrow(
      /Fortran-ordered/,
    );
    expect(() => parseNpy(npy("<c8", [1], new Float32Array(2)), "c.npy")).toThrow(
      /dtype '<c8' is not supported/,
    );
    const cut = npy("<f4", [4], new Float32Array(4));
    expect(() => parseNpy(cut.subarray(0, cut.length - 1), "t.npy")).toThrow(
      /t.npy: truncated: shape \[4\] needs 16 data bytes/,
    );
  });
});

describe("readTensors", () => {
  it("reads safetensors (every tensor, or one), .npy and JSON (nested arrays, {data, shape}, or named)", async () => {
    const st = join(dir, "t.safetensors");
    await writeFile(
      st,
      serializeSafetensors({
        w: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] },
        b: { data: new Int32Array([7]), shape: [1] },
      }),
    );
    // in file order: the writer lays tensors out by element size, then name
    expect((await readTensors(st)).map((t) => [t.name, t.shape, t.dtype])).toEqual([
      ["b", [1], "I32"],
      ["w", [2, 3], "F32"],
    ]);
    expect((await readTensors(st, "b"))[0]!.data[0]).toBe(7);
    await expect(readTensors(st, "nope")).rejects.toThrow(/no tensor named "nope"/);
    // int64 inputs (Silero VAD's sample rate, token ids) are read exactly up to 2^24, refused beyond
    await writeFile(st, serializeSafetensors({ sr: { data: BigInt64Array.of(16000n, -3n), shape: [2] } }));
    expect(Array.from((await readTensors(st))[0]!.data)).toEqual([16000, -3]);
    await writeFile(st, serializeSafetensors({ ids: { data: BigInt64Array.of(1n, 1n << 40n), shape: [2] } }));
    await expect(readTensors(st)).rejects.toThrow(/"ids": I64 value 1099511627776 is beyond 2\^24/);
    const js = join(dir, "t.json");
    await writeFile(
      js,
      JSON.stringify([
        [1, 2],
        [3, 4.5],
      ]),
    );
    expect((await readTensors(js))[0]).toMatchObject({
      shape: [2, 2],
      data: new Float32Array([1, 2, 3, 4.5]),
    });
    await writeFile(js, JSON.stringify({ data: [1, 2, 3, 4], shape: [4, 1] }));
    expect((await readTensors(js))[0]!.shape).toEqual([4, 1]);
    await writeFile(js, JSON.stringify({ a: [1, 2], b: { data: [3] } }));
    expect((await readTensors(js)).map((t) => t.name)).toEqual(["a", "b"]);
    await writeFile(js, JSON.stringify([[1, 2], [3]]));
    await expect(readTensors(js)).rejects.toThrow(/not rectangular/);
    await writeFile(js, "{oops");
    await expect(readTensors(js)).rejects.toThrow(/not valid JSON/);
    await expect(readTensors(join(dir, "t.csv"))).rejects.toThrow(/ENOENT|unknown tensor file type/);
  });
});
