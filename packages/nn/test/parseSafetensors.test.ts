import { describe, expect, it } from "vitest";
import { parseSafetensors, serializeSafetensors } from "../src/index";

/** A safetensors file written by hand: header length, JSON, data. */
function handMade(header: unknown, data: number[] | Uint8Array, pad = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** A safetensors file with the given header text and data bytes. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

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

describe("safetensors headers that JSON.parse would quietly accept (items 7, 18)", () => {
  it("a tensor named twice is an error, not the last one silently", () => {
    const h =
      '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    expect(() => parseSafetensors(rawFile(h, new Uint8Array(2)), "dup.safetensors")).toThrow(
      'dup.safetensors: the header names "a" twice',
    );
  });
  it("deep nesting is an error message, not a stack overflow", () => {
    const h = `{"__metadata__":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(() => parseSafetensors(rawFile(h), "deep.safetensors")).toThrow(
      "deep.safetensors: the header nests 100001 levels deep; a safetensors header needs 3",
    );
  });
});

describe("checksummed safetensors (item 1)", () => {
  const tensors = {
    w: { data: new Int8Array([1, -2, 3, -4]), shape: [2, 2] },
    b: { data: new Int32Array([7, 8]), shape: [2] },
  };
  const bytes = serializeSafetensors(tensors, { format: "x" }, { checksum: true });
  it("stamps the CRC-32 of the whole file and verifies it on parse", () => {
    const f = parseSafetensors(bytes, "ok");
    expect(f.metadata.quantkit_crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(Array.from(f.tensors.w!.data as Int8Array)).toEqual([1, -2, 3, -4]);
    // without the option, nothing is added: plain safetensors
    expect(parseSafetensors(serializeSafetensors(tensors, { format: "x" })).metadata).toEqual({
      format: "x",
    });
  });
  it("with requireChecksum, rejects every single-byte change (flips 0x01, 0x80, 0xff at every offset)", () => {
    let accepted = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const c = bytes.slice();
        c[i] = c[i]! ^ flip;
        try {
          parseSafetensors(c, "c", { requireChecksum: true });
          accepted++;
        } catch {
          // rejected: structure or checksum
        }
      }
    }
    expect(accepted).toBe(0);
  });
});
