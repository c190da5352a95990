import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSafetensors, type SafetensorsTensor, serializeSafetensors } from "../src/index";

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
