import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BatchNorm2d,
  Conv2d,
  createMlp,
  Linear,
  loadSafetensors,
  loadStateDict,
  parseSafetensors,
  predict,
  type SafetensorsTensor,
  Sequential,
  saveSafetensors,
  serializeSafetensors,
  stateDict,
} from "../src/index";

/** A safetensors file written by hand: header length, JSON, data. */
function handMade(header: unknown, data: number[] | Uint8Array, pad = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("serializeSafetensors writes the format byte for byte", () => {
  it("8-byte little-endian header length, JSON padded with spaces to 8 bytes, little-endian data", () => {
    const bytes = serializeSafetensors({ a: { data: new Float32Array([1, 2]), shape: [2] } });
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes, padded to 56
    expect(json.length).toBe(54);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([56, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(8, 64))).toBe(`${json}  `);
    // 1.0f = 00 00 80 3f, 2.0f = 00 00 00 40
    expect(Array.from(bytes.subarray(64))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
  });
  it("puts __metadata__ first and lays tensors out by element size then name (all aligned)", () => {
    const bytes = serializeSafetensors(
      {
        z: { data: new Int8Array([1, -1, 3]), shape: [3] },
        b: { data: new Float64Array([0.5]), shape: [1] },
        a: { data: new Int32Array([7, 8]), shape: [2], dtype: "I32" },
        c: { data: new Uint16Array([0x3c00]), shape: [], dtype: "F16" },
      },
      { format: "pt", note: "ünïcödé" },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(["__metadata__", "b", "a", "c", "z"]);
    expect(header.b.data_offsets).toEqual([0, 8]);
    expect(header.a.data_offsets).toEqual([8, 16]);
    expect(header.c.data_offsets).toEqual([16, 18]);
    expect(header.z.data_offsets).toEqual([18, 21]);
    const parsed = parseSafetensors(bytes);
    expect(parsed.metadata).toEqual({ format: "pt", note: "ünïcödé" });
    expect(parsed.tensors.z).toEqual({ dtype: "I8", shape: [3], data: new Int8Array([1, -1, 3]) });
    expect(parsed.tensors.c!.shape).toEqual([]);
    // aligned tensors are views on the bytes, not copies
    expect(parsed.tensors.b!.data.buffer).toBe(bytes.buffer);
  });
  it("round-trips every dtype and shape (property)", () => {
    const dtypes = [
      ["F32", (n: number) => new Float32Array(n).map((_, i) => i * 0.5 - 3)],
      ["F64", (n: number) => new Float64Array(n).map((_, i) => Math.PI * i)],
      ["I8", (n: number) => new Int8Array(n).map((_, i) => i - 100)],
      ["U8", (n: number) => new Uint8Array(n).map((_, i) => 255 - i)],
      ["I16", (n: number) => new Int16Array(n).map((_, i) => -i * 300)],
      ["U16", (n: number) => new Uint16Array(n).map((_, i) => i * 999)],
      ["I32", (n: number) => new Int32Array(n).map((_, i) => (i % 2 ? -1 : 1) * 2 ** 30)],
      ["U32", (n: number) => new Uint32Array(n).map((_, i) => 2 ** 32 - 1 - i)],
      ["I64", (n: number) => new BigInt64Array(n).map((_, i) => BigInt(i) - 2n ** 62n)],
      ["U64", (n: number) => new BigUint64Array(n).map((_, i) => 2n ** 64n - 1n - BigInt(i))],
      ["F16", (n: number) => new Uint16Array(n).map((_, i) => 0x3c00 + i)],
      ["BF16", (n: number) => new Uint16Array(n).map((_, i) => 0x3f80 + i)],
      ["BOOL", (n: number) => new Uint8Array(n).map((_, i) => i % 2)],
      ["F8_E4M3", (n: number) => new Uint8Array(n).map((_, i) => i)],
    ] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: dtypes.length - 1 }),
            fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (specs) => {
          const tensors: Record<string, SafetensorsTensor> = {};
          specs.forEach(([d, shape], i) => {
            const [dtype, make] = dtypes[d]!;
            tensors[`t${i}.w`] = {
              dtype,
              shape,
              data: make(shape.reduce((a, b) => a * b, 1)),
            } as SafetensorsTensor;
          });
          const parsed = parseSafetensors(serializeSafetensors(tensors, { k: "v" }));
          expect(Object.keys(parsed.tensors).sort()).toEqual(Object.keys(tensors).sort());
          for (const [name, t] of Object.entries(tensors)) {
            const p = parsed.tensors[name]!;
            expect([p.dtype, p.shape]).toEqual([t.dtype, t.shape]);
            expect(Array.from(p.data as ArrayLike<number>)).toEqual(Array.from(t.data as ArrayLike<number>));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
  it("rejects inconsistent input", () => {
    expect(() => serializeSafetensors({ w: { data: new Float32Array(5), shape: [2, 3] } })).toThrow(
      'tensor "w" has 5 elements but shape [2, 3] needs 6',
    );
    expect(() =>
      serializeSafetensors({ w: { data: new Float32Array(2), shape: [2], dtype: "I32" } }),
    ).toThrow('tensor "w": dtype I32 needs a Int32Array, got [object Float32Array]');
    expect(() => serializeSafetensors({ __metadata__: { data: new Float32Array(1), shape: [1] } })).toThrow(
      /other than "__metadata__"/,
    );
    // @ts-expect-error metadata values are strings
    expect(() => serializeSafetensors({}, { n: 1 })).toThrow('metadata["n"] must be a string, got number');
  });
});

describe("parseSafetensors validates everything, with clear errors", () => {
  const good = { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
  const data8 = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];
  it("reads a hand-made file, copying an unaligned tensor", () => {
    // U8 [3] at 0..3, then F32 [1] at 3..7: the float is unaligned and must be copied
    const bytes = handMade(
      {
        u: { dtype: "U8", shape: [3], data_offsets: [0, 3] },
        f: { dtype: "F32", shape: [1], data_offsets: [3, 7] },
      },
      [1, 2, 3, 0, 0, 0xc0, 0x3f],
      2,
    );
    const { tensors } = parseSafetensors(bytes);
    expect(Array.from(tensors.u!.data as Uint8Array)).toEqual([1, 2, 3]);
    expect(Array.from(tensors.f!.data as Float32Array)).toEqual([1.5]);
    expect(tensors.f!.data.buffer).not.toBe(bytes.buffer);
    expect(Array.from(parseSafetensors(handMade(good, data8)).tensors.a!.data as Float32Array)).toEqual([
      1, 2,
    ]);
  });
  it.each([
    [
      "too short",
      new Uint8Array(5),
      "m.st is truncated: 5 bytes, a safetensors file starts with an 8-byte header length",
    ],
    [
      "header past the end",
      handMade(good, data8).subarray(0, 30),
      /the header length \d+ exceeds the 22 bytes after it/,
    ],
    [
      "header over 100 MB",
      new Uint8Array([0, 0xe1, 0xf5, 0x05, 1, 0, 0, 0, 0]),
      /over the 100000000-byte limit/,
    ],
    ["not JSON", handMade("x", []).map((b, i) => (i === 8 ? 0x7b : b)), /the header is not valid JSON/],
    [
      "not UTF-8",
      (() => {
        const b = handMade({ a: 1 }, []);
        b[10] = 0xff;
        return b;
      })(),
      "m.st: the header is not valid UTF-8",
    ],
    ["a JSON array", handMade([1, 2], []), "m.st: the header must be a JSON object, got an array"],
    [
      "an unknown dtype",
      handMade({ a: { dtype: "F128", shape: [1], data_offsets: [0, 16] } }, new Uint8Array(16)),
      /tensor "a" has an unknown dtype "F128"/,
    ],
    [
      "a negative dimension",
      handMade({ a: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /shape must be an array of non-negative integers, got \[-1\]/,
    ],
    [
      "shape and offsets disagree",
      handMade({ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, data8),
      'm.st: tensor "a": shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8',
    ],
    [
      "offsets past the data",
      handMade({ a: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, data8),
      /data_offsets \[0, 16\] run past the 8 data bytes/,
    ],
    [
      "reversed offsets",
      handMade({ a: { dtype: "F32", shape: [0], data_offsets: [8, 0] } }, data8),
      /data_offsets must be \[begin, end\] with 0 <= begin <= end/,
    ],
    [
      "overlapping tensors",
      handMade(
        {
          a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
          b: { dtype: "F32", shape: [1], data_offsets: [4, 8] },
        },
        data8,
      ),
      /tensor "b" \[4, 8\] overlaps tensor "a"/,
    ],
    [
      "a gap",
      handMade({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, data8),
      'm.st: data_offsets are not contiguous: a gap of 4 bytes before tensor "a"',
    ],
    [
      "trailing bytes",
      handMade({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, data8),
      "m.st: the tensors cover 4 data bytes but the file holds 8 after the header",
    ],
    [
      "non-string metadata",
      handMade({ __metadata__: { n: 1 } }, []),
      'm.st: __metadata__["n"] must be a string, got 1',
    ],
  ])("%s", (_, bytes, message) => {
    expect(() => parseSafetensors(bytes as Uint8Array, "m.st")).toThrow(message);
  });
});

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

describe("stateDict / loadStateDict", () => {
  it("round-trips the seed MLP through safetensors bytes: the same predictions, about 360 KB", () => {
    const a = createMlp([784, 100, 100, 10], { seed: 0 });
    const b = createMlp([784, 100, 100, 10], { seed: 1 });
    const bytes = serializeSafetensors(stateDict(a), { format: "pt" });
    // 89,610 float32 values plus a small header
    expect(bytes.length).toBeGreaterThan(89_610 * 4);
    expect(bytes.length).toBeLessThan(89_610 * 4 + 1024);
    expect(loadStateDict(b, parseSafetensors(bytes).tensors)).toEqual({
      missingKeys: [],
      unexpectedKeys: [],
    });
    const x = new Float32Array(5 * 784).map((_, i) => Math.sin(i));
    expect(predict(b, x, [5, 784])).toEqual(predict(a, x, [5, 784]));
    expect(Array.from((b.get("fc3") as Linear).bias!.data)).toEqual(
      Array.from((a.get("fc3") as Linear).bias!.data),
    );
  });
  it("includes BatchNorm's buffers with PyTorch's names, num_batches_tracked as I64", () => {
    const model = new Sequential([
      ["conv", new Conv2d(1, 2, 3)],
      ["bn", new BatchNorm2d(2)],
    ]);
    model.forward(
      new Float32Array(2 * 16).map((_, i) => i),
      [2, 1, 4, 4],
    );
    const sd = stateDict(model);
    expect(Object.keys(sd)).toEqual([
      "conv.weight",
      "conv.bias",
      "bn.weight",
      "bn.bias",
      "bn.running_mean",
      "bn.running_var",
      "bn.num_batches_tracked",
    ]);
    expect(sd["bn.num_batches_tracked"]).toEqual({ dtype: "I64", shape: [], data: new BigInt64Array([1n]) });
    const copy = new Sequential([
      ["conv", new Conv2d(1, 2, 3, { seed: 4 })],
      ["bn", new BatchNorm2d(2)],
    ]);
    loadStateDict(copy, parseSafetensors(serializeSafetensors(sd)).tensors);
    const bn = copy.get("bn") as BatchNorm2d;
    expect(bn.numBatchesTracked[0]).toBe(1n);
    expect(Array.from(bn.runningMean!)).toEqual(Array.from((model.get("bn") as BatchNorm2d).runningMean!));
  });
  it("strict: missing and unexpected keys are an error naming them, PyTorch-style", () => {
    const model = createMlp([4, 3, 2]);
    const sd = stateDict(createMlp([4, 3, 2]));
    const { "fc2.bias": _dropped, ...rest } = sd;
    const extra = { ...rest, "fc9.weight": sd["fc1.weight"]! };
    expect(() => loadStateDict(model, extra)).toThrow(
      'Error(s) in loading state dict: Missing key(s): "fc2.bias". Unexpected key(s): "fc9.weight".',
    );
    expect(loadStateDict(model, extra, { strict: false })).toEqual({
      missingKeys: ["fc2.bias"],
      unexpectedKeys: ["fc9.weight"],
    });
  });
  it("a shape mismatch is an error and nothing is loaded", () => {
    const model = createMlp([4, 3, 2], { seed: 0 });
    const before = Float32Array.from((model.get("fc1") as Linear).weight.data);
    const sd = {
      ...stateDict(createMlp([4, 3, 2], { seed: 1 })),
      "fc2.weight": { dtype: "F32", shape: [3, 2], data: new Float32Array(6) } as SafetensorsTensor,
    };
    expect(() => loadStateDict(model, sd)).toThrow(
      "size mismatch for fc2.weight: copying a tensor of shape [3, 2] from the state dict, the shape in the model is [2, 3]",
    );
    expect(Array.from((model.get("fc1") as Linear).weight.data)).toEqual(Array.from(before));
    const int8 = {
      ...stateDict(model),
      "fc2.bias": { dtype: "I8", shape: [2], data: new Int8Array(2) } as SafetensorsTensor,
    };
    expect(() => loadStateDict(model, int8)).toThrow(
      'loadStateDict: "fc2.bias" is I8; a float parameter loads from F32, F64, F16 or BF16',
    );
  });
  it("converts F16 and BF16 (raw bits) to float32", () => {
    const fcl = new Sequential([["fc", new Linear(2, 1)]]);
    // F16: 0x3c00 = 1, 0xc000 = -2, 0x3555 = 0.333251953125; BF16: 0x4049 = 3.140625
    loadStateDict(fcl, {
      "fc.weight": { dtype: "F16", shape: [1, 2], data: new Uint16Array([0x3c00, 0xc000]) },
      "fc.bias": { dtype: "BF16", shape: [1], data: new Uint16Array([0x4049]) },
    });
    const lin = fcl.get("fc") as Linear;
    expect(Array.from(lin.weight.data)).toEqual([1, -2]);
    expect(lin.bias!.data[0]).toBe(3.140625);
    loadStateDict(fcl, {
      "fc.weight": { dtype: "F16", shape: [1, 2], data: new Uint16Array([0x3555, 0x0001]) },
      "fc.bias": { dtype: "F64", shape: [1], data: new Float64Array([0.1]) },
    });
    expect(lin.weight.data[0]).toBe(0.333251953125);
    expect(lin.weight.data[1]).toBe(Math.fround(2 ** -24)); // the smallest subnormal
    expect(lin.bias!.data[0]).toBe(Math.fround(0.1));
  });
});
