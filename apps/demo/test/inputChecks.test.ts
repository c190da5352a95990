// Issue 15 at the command line: items 6, 7, 14, 16, 17 and 18 each have a case here that failed before.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeSafetensors } from "@quantkit/nn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npyBytes as npy } from "../src/cli/_npyBytes";
import { loadRunData } from "../src/cli/run";
import { cli } from "./_cli";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-cli-checks-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function idxImages(count: number): Uint8Array {
  const b = new Uint8Array(16 + count * 4).fill(9, 16);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x803);
  v.setUint32(4, count);
  v.setUint32(8, 2);
  v.setUint32(12, 2);
  return b;
}
function idxLabels(labels: number[]): Uint8Array {
  const b = new Uint8Array(8 + labels.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x801);
  v.setUint32(4, labels.length);
  b.set(labels, 8);
  return b;
}

describe("explain says when float64 already changed the number (item 6)", () => {
  it.each([
    ["1e400", /"1e400" overflows float64/],
    ["1e-400", /"1e-400" underflows float64/],
    [
      "9007199254740993",
      /"9007199254740993" is not exactly a float64 \(it would round to 9007199254740992\)/,
    ],
  ])("%s", async (arg, message) => {
    const r = await cli("explain", arg);
    expect(r.code).toBe(2); // a bad argument is a usage error
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
  });
  it("-inf is a number, not an unknown option (item 18)", async () => {
    const r = await cli("explain", "-inf", "--formats", "float32");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^-Infinity \(float32\) = 1 11111111 0{23}/);
  });
});

describe("quantize rejects what it used to read silently (items 7, 14, 18)", () => {
  it("a safetensors header naming a tensor twice", async () => {
    const h = new TextEncoder().encode(
      '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
    );
    const f = new Uint8Array(8 + h.length + 8);
    new DataView(f.buffer).setBigUint64(0, BigInt(h.length), true);
    f.set(h, 8);
    await writeFile(join(dir, "dup.safetensors"), f);
    expect((await cli("quantize", join(dir, "dup.safetensors"))).err).toMatch(/the header names "w" twice/);
  });
  it(".npy with trailing bytes, and float64 values float32 flushes to 0", async () => {
    const good = npy("<f4", [2], new Float32Array([1, 2]));
    await writeFile(join(dir, "trail.npy"), new Uint8Array([...good, 0, 0, 0, 0]));
    expect((await cli("quantize", join(dir, "trail.npy"))).err).toMatch(/4 bytes after the data/);
    await writeFile(join(dir, "tiny.npy"), npy("<f8", [2], new Float64Array([1, 1e-50])));
    expect((await cli("quantize", join(dir, "tiny.npy"))).err).toMatch(
      /\[1\] = 1e-50 is 0 in float32 \(underflow\)/,
    );
    const f64 = serializeSafetensors({ t: { data: new Float64Array([1e-50, 1]), shape: [2] } });
    await writeFile(join(dir, "tiny.safetensors"), f64);
    expect((await cli("quantize", join(dir, "tiny.safetensors"))).err).toMatch(
      /"t"\[0\] = 1e-50 is 0 in float32/,
    );
  });
  it("--percentile with a calibrator that ignores it, and 1-bit symmetric codes", async () => {
    await writeFile(join(dir, "x.json"), "[-1, 0, 0.5, 2]");
    const p = await cli("quantize", join(dir, "x.json"), "--calibrator", "minmax", "--percentile", "99");
    expect(p.err).toMatch(
      /--percentile applies to --calibrator percentile \(or all\), got --calibrator minmax/,
    );
    const b = await cli("quantize", join(dir, "x.json"), "--bits", "1", "--scheme", "symmetric");
    expect(b.err).toMatch(/--bits 1 with --scheme symmetric .* maps every value to 0/);
  });
  it("/dev/zero and a FIFO are refused at once (item 14)", async () => {
    const z = await cli("quantize", "/dev/zero");
    expect(z.err).toMatch(/unknown tensor file type/);
    await writeFile(join(dir, "zero.npy"), "");
    execFileSync("ln", ["-sf", "/dev/zero", join(dir, "devzero.npy")]);
    expect((await cli("quantize", join(dir, "devzero.npy"))).err).toMatch(
      /devzero.npy is a device or special file, not a regular file/,
    );
    execFileSync("mkfifo", [join(dir, "pipe.npy")]);
    expect((await cli("quantize", join(dir, "pipe.npy"))).err).toMatch(
      /pipe.npy is a FIFO, not a regular file/,
    );
  });
  it("NaN, string shapes and deep nesting are named with the file and the tensor (item 18)", async () => {
    await writeFile(join(dir, "nan.json"), '{"w": [1, 2], "v": {"data": [1, 2], "shape": ["2"]}}');
    expect((await cli("quantize", join(dir, "nan.json"))).err).toMatch(
      /v: shape must be a list of non-negative integers, got \["2"\]/,
    );
    await writeFile(join(dir, "nan2.npy"), npy("<f4", [2], new Float32Array([1, Number.NaN])));
    expect((await cli("quantize", join(dir, "nan2.npy"))).err).toMatch(
      /nan2.npy: tensor ".*nan2.npy" \[1\] is NaN/,
    );
    await writeFile(join(dir, "deep.json"), `${"[".repeat(5000)}1${"]".repeat(5000)}`);
    expect((await cli("quantize", join(dir, "deep.json"))).err).toMatch(/nest more than 32 levels deep/);
  });
});

describe("paths and data (items 16, 17)", () => {
  it("under pnpm, a relative path is read from the user's directory (INIT_CWD), not apps/demo", async () => {
    await writeFile(join(dir, "rel.json"), "[-1, 0, 0.5, 2]");
    const saved = { ev: process.env.npm_lifecycle_event, init: process.env.INIT_CWD };
    process.env.npm_lifecycle_event = "quantkit";
    process.env.INIT_CWD = dir;
    try {
      const r = await cli("quantize", "rel.json", "--json");
      expect(r.err).toBe("");
      expect(JSON.parse(r.out).results[0].zeroPoint).toEqual([85]);
    } finally {
      if (saved.ev === undefined) delete process.env.npm_lifecycle_event;
      else process.env.npm_lifecycle_event = saved.ev;
      if (saved.init === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved.init;
    }
  });
  it("the class count comes from the labels of both files; one-class data is an error", async () => {
    const d = join(dir, "idx");
    await mkdir(d);
    await writeFile(join(d, "train-images-idx3-ubyte"), idxImages(12));
    await writeFile(join(d, "train-labels-idx1-ubyte"), idxLabels([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]));
    await writeFile(join(d, "t10k-images-idx3-ubyte"), idxImages(2));
    await writeFile(join(d, "t10k-labels-idx1-ubyte"), idxLabels([7, 0]));
    expect((await loadRunData({ dataset: "idx", dataDir: d, seed: 0, trainLimit: 3 })).classes).toBe(8);
    await writeFile(join(d, "train-labels-idx1-ubyte"), idxLabels(new Array(12).fill(3)));
    await writeFile(join(d, "t10k-labels-idx1-ubyte"), idxLabels([3, 3]));
    await expect(loadRunData({ dataset: "idx", dataDir: d, seed: 0 })).rejects.toThrow(
      /every label is 3: a classifier needs at least two classes/,
    );
  });
});
