import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataType, dataTypeBits, fromArray, type TensorArray, toArray } from "../src/index";
import { hex, list } from "./_bytes";

describe("fromArray writes raw_data little-endian, sub-byte types packed low nibble first", () => {
  it.each([
    ["float32", new Float32Array([1, -2.5]), undefined, "00 00 80 3f 00 00 20 c0"],
    ["float64", new Float64Array([1]), undefined, "00 00 00 00 00 00 f0 3f"],
    ["int8", new Int8Array([-1, 2]), undefined, "ff 02"],
    ["uint8", new Uint8Array([255, 0]), undefined, "ff 00"],
    ["int16", new Int16Array([-2, 258]), undefined, "fe ff 02 01"],
    ["uint16", new Uint16Array([0xabcd]), undefined, "cd ab"],
    ["int32", new Int32Array([-1, 0x01020304]), undefined, "ff ff ff ff 04 03 02 01"],
    ["uint32", new Uint32Array([0xdeadbeef]), undefined, "ef be ad de"],
    ["int64", new BigInt64Array([-2n]), undefined, "fe ff ff ff ff ff ff ff"],
    ["uint64", new BigUint64Array([0x0102030405060708n]), undefined, "08 07 06 05 04 03 02 01"],
    ["bool", new Uint8Array([1, 0, 1]), DataType.BOOL, "01 00 01"],
    ["float16 bits", new Uint16Array([0x3c00, 0xc000]), DataType.FLOAT16, "00 3c 00 c0"],
    ["bfloat16 bits", new Uint16Array([0x3f80]), DataType.BFLOAT16, "80 3f"],
    ["float8e4m3fn bits", new Uint8Array([0x7e, 0x38]), DataType.FLOAT8E4M3FN, "7e 38"],
    ["complex64", new Float32Array([1, 2]), DataType.COMPLEX64, "00 00 80 3f 00 00 00 40"],
    ["int4 (odd length)", new Int8Array([1, -1, 7]), DataType.INT4, "f1 07"],
    ["uint4", new Uint8Array([0xa, 0x5, 0xf, 0x0]), DataType.UINT4, "5a 0f"],
    ["int4 extremes", new Int8Array([-8, 7]), DataType.INT4, "78"],
    ["int2", new Int8Array([1, -2, -1, 0, 1]), DataType.INT2, "39 01"],
    ["uint2", new Uint8Array([3, 2, 1, 0]), DataType.UINT2, "1b"],
    ["float4e2m1 codes", new Uint8Array([0x1, 0xf, 0x7]), DataType.FLOAT4E2M1, "f1 07"],
  ] as Array<[string, TensorArray, number | undefined, string]>)("%s", (_, data, dataType, bytes) => {
    const t = fromArray(data, dataType === undefined ? {} : { dataType });
    expect(hex(t.rawData)).toBe(bytes);
    expect(list(toArray(t) as ArrayLike<unknown>)).toEqual(Array.from(data as ArrayLike<unknown>));
    expect(toArray(t).constructor).toBe(data.constructor);
  });

  it("raw_data of byte-wide and wider types is a view of the array (no copy)", () => {
    const data = new Float32Array([1, 2, 3]);
    expect(fromArray(data).rawData.buffer).toBe(data.buffer);
  });
});

describe("round trips (property)", () => {
  const cases: Array<[string, number, fc.Arbitrary<TensorArray>]> = [
    ["float32", DataType.FLOAT, fc.float32Array({ maxLength: 40 })],
    ["float64", DataType.DOUBLE, fc.float64Array({ maxLength: 40 })],
    ["int8", DataType.INT8, fc.int8Array({ maxLength: 40 })],
    ["uint16", DataType.UINT16, fc.uint16Array({ maxLength: 40 })],
    ["int32", DataType.INT32, fc.int32Array({ maxLength: 40 })],
    ["int64", DataType.INT64, fc.bigInt64Array({ maxLength: 40 })],
    ["uint64", DataType.UINT64, fc.bigUint64Array({ maxLength: 40 })],
    ["float16 bits", DataType.FLOAT16, fc.uint16Array({ maxLength: 40 })],
    [
      "int4",
      DataType.INT4,
      fc.array(fc.integer({ min: -8, max: 7 }), { maxLength: 41 }).map((a) => Int8Array.from(a)),
    ],
    [
      "uint4",
      DataType.UINT4,
      fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 41 }).map((a) => Uint8Array.from(a)),
    ],
    [
      "int2",
      DataType.INT2,
      fc.array(fc.integer({ min: -2, max: 1 }), { maxLength: 43 }).map((a) => Int8Array.from(a)),
    ],
  ];
  it.each(cases)(
    "toArray(fromArray(x)) equals x bit for bit: %s (lengths 0..41, odd included)",
    (_, dataType, arb) => {
      fc.assert(
        fc.property(arb, (data) => {
          const t = fromArray(data, { dataType });
          const bits = dataTypeBits(dataType);
          expect(t.rawData.length).toBe(Math.ceil((data.length * bits) / 8));
          const back = toArray(t);
          expect(new Uint8Array(back.buffer, back.byteOffset, back.byteLength)).toEqual(
            new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
          );
        }),
        { seed: 16, numRuns: 200 },
      );
    },
  );

  it("int4 packing equals a slow reference: byte k = (x[2k] & 15) | (x[2k+1] & 15) << 4", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -8, max: 7 }), { maxLength: 33 }), (values) => {
        const expected: number[] = [];
        for (let k = 0; 2 * k < values.length; k++)
          expected.push((values[2 * k]! & 15) | (((values[2 * k + 1] ?? 0) & 15) << 4));
        expect(Array.from(fromArray(Int8Array.from(values), { dataType: DataType.INT4 }).rawData)).toEqual(
          expected,
        );
      }),
      { seed: 4, numRuns: 200 },
    );
  });
});

describe("fromArray errors", () => {
  it("rejects values outside the type, naming tensor, value and index", () => {
    expect(() => fromArray(new Float32Array(2), { dataType: DataType.FLOAT16 })).toThrow(
      /float16 data must be a Uint16Array, got Float32Array\(2\)/,
    );
    expect(() => fromArray([1, 2] as never)).toThrow(/data must be a typed array, got \[1, 2\]/);
  });
});
