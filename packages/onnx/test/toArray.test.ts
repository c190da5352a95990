import { create } from "@bufbuild/protobuf";
import { tensor } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DataLocation,
  DataType,
  dataTypeBits,
  dataTypeName,
  fromArray,
  fromTensor,
  makeTensor,
  minIrVersionForDataType,
  type TensorArray,
  TensorProtoSchema,
  toArray,
  toFloat32Array,
  toStrings,
  toTensor,
} from "../src/index";

const list = (a: ArrayLike<unknown>): unknown[] => Array.from(a);

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

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

  it("toArray returns a fresh copy, even from an unaligned raw_data view", () => {
    const buffer = new Uint8Array(9);
    buffer.set([0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40], 0);
    const t = create(TensorProtoSchema, {
      dataType: DataType.FLOAT,
      dims: [2n],
      rawData: buffer.subarray(1),
    });
    const values = toArray(t);
    expect(list(values)).toEqual([1, 2]);
    expect(values.buffer).not.toBe(buffer.buffer);
  });
});

describe("toArray reads the typed fields as the spec defines them", () => {
  it("float_data, double_data, int64_data, uint64_data", () => {
    const f = create(TensorProtoSchema, {
      dataType: DataType.FLOAT,
      dims: [2],
      floatData: [0.5, -1],
    } as never);
    expect(list(toArray(f))).toEqual([0.5, -1]);
    const d = create(TensorProtoSchema, { dataType: DataType.DOUBLE, dims: [1n], doubleData: [0.1] });
    expect(list(toArray(d))).toEqual([0.1]);
    const i = create(TensorProtoSchema, {
      dataType: DataType.INT64,
      dims: [2n],
      int64Data: [-5n, 9007199254740993n],
    });
    expect(list(toArray(i) as BigInt64Array)).toEqual([-5n, 9007199254740993n]);
    const u = create(TensorProtoSchema, { dataType: DataType.UINT32, dims: [1n], uint64Data: [4294967295n] });
    expect(list(toArray(u))).toEqual([4294967295]);
  });

  it("int32_data holds one element per entry for 8/16-bit types and bit patterns for float16", () => {
    const i8 = create(TensorProtoSchema, { dataType: DataType.INT8, dims: [2n], int32Data: [-128, 127] });
    expect(list(toArray(i8))).toEqual([-128, 127]);
    const h = create(TensorProtoSchema, { dataType: DataType.FLOAT16, dims: [1n], int32Data: [0x3c00] });
    expect(Array.from(toFloat32Array(h))).toEqual([1]);
  });

  it("int32_data holds two int4 elements per entry (one packed byte) and four int2", () => {
    const i4 = create(TensorProtoSchema, { dataType: DataType.INT4, dims: [3n], int32Data: [0xf1, 0x07] });
    expect(list(toArray(i4))).toEqual([1, -1, 7]);
    const u2 = create(TensorProtoSchema, { dataType: DataType.UINT2, dims: [5n], int32Data: [0x1b, 0x02] });
    expect(list(toArray(u2))).toEqual([3, 2, 1, 0, 2]);
  });

  it("strings come from string_data", () => {
    const t = makeTensor("s", DataType.STRING, [2], ["héllo", ""]);
    expect(toStrings(t)).toEqual(["héllo", ""]);
    expect(() => toArray(t)).toThrow(/a string tensor; read it with toStrings/);
  });
});

describe("makeTensor and toFloat32Array convert values", () => {
  it("float16 / bfloat16 / float8 round to nearest even through @quantkit/numeric", () => {
    expect(hex(makeTensor("h", DataType.FLOAT16, [3], [1, 65504, 0.1]).rawData)).toBe("00 3c ff 7b 66 2e");
    expect(hex(makeTensor("b", DataType.BFLOAT16, [1], [1]).rawData)).toBe("80 3f");
    expect(hex(makeTensor("e", DataType.FLOAT8E4M3FN, [1], [448]).rawData)).toBe("7e");
    expect(Array.from(toFloat32Array(makeTensor("h", DataType.FLOAT16, [2], [1, 0.1])))).toEqual([
      1, 0.0999755859375,
    ]);
  });

  it("decodes float4e2m1 and float8e8m0 codes to their values", () => {
    expect(
      Array.from(toFloat32Array(fromArray(new Uint8Array([1, 7, 0xf]), { dataType: DataType.FLOAT4E2M1 }))),
    ).toEqual([0.5, 6, -6]);
    expect(
      Array.from(
        toFloat32Array(fromArray(new Uint8Array([127, 130, 0xff]), { dataType: DataType.FLOAT8E8M0 })),
      ),
    ).toEqual([1, 8, Number.NaN]);
  });

  it("integers, int64 from bigints or safe integers, bool from booleans", () => {
    expect(list(toArray(makeTensor("i", DataType.INT4, [3], [-8, 0, 7])))).toEqual([-8, 0, 7]);
    expect(list(toArray(makeTensor("l", DataType.INT64, [2], [3n, -4])) as BigInt64Array)).toEqual([3n, -4n]);
    expect(list(toArray(makeTensor("b", DataType.BOOL, [2], [true, false])))).toEqual([1, 0]);
    expect(Array.from(toFloat32Array(makeTensor("l", DataType.INT64, [1], [-(2n ** 40n)])))).toEqual([
      -(2 ** 40),
    ]);
  });

  it("rejects values outside the type, naming tensor, value and index", () => {
    expect(() => makeTensor("w", DataType.INT8, [2], [1, 128])).toThrow(
      /makeTensor\("w"\): int8 value 128 at index 1 is not an integer in -128\.\.127/,
    );
    expect(() => makeTensor("w", DataType.INT4, [1], [8])).toThrow(
      /int4 value 8 at index 0 is outside -8\.\.7/,
    );
    expect(() => makeTensor("w", DataType.INT32, [1], [0.5])).toThrow(/int32 value 0\.5 at index 0/);
    expect(() => makeTensor("w", DataType.FLOAT, [3], [1, 2])).toThrow(
      /dims \[3\] hold 3 elements, data has 2/,
    );
    expect(() => fromArray(new Float32Array(2), { dataType: DataType.FLOAT16 })).toThrow(
      /float16 data must be a Uint16Array, got Float32Array\(2\)/,
    );
    expect(() => fromArray([1, 2] as never)).toThrow(/data must be a typed array, got \[1, 2\]/);
  });
});

describe("toArray errors name the tensor and the value", () => {
  it("raw_data of the wrong length", () => {
    const t = create(TensorProtoSchema, {
      name: "w",
      dataType: DataType.FLOAT,
      dims: [3n],
      rawData: new Uint8Array(8),
    });
    expect(() => toArray(t)).toThrow(/toArray\("w"\): raw_data has 8 bytes, float32 dims \[3\] need 12/);
  });

  it("a typed field of the wrong length, an unknown type, external data, a negative dim", () => {
    const f = create(TensorProtoSchema, { name: "f", dataType: DataType.FLOAT, dims: [3n], floatData: [1] });
    expect(() => toArray(f)).toThrow(/float_data has 1 values, float32 dims \[3\] need 3/);
    expect(() => toArray(create(TensorProtoSchema, { name: "u", dataType: 99 }))).toThrow(
      /unknown or undefined data_type 99/,
    );
    const ext = create(TensorProtoSchema, {
      name: "e",
      dataType: DataType.FLOAT,
      dims: [1n],
      dataLocation: DataLocation.EXTERNAL,
      externalData: [{ key: "location", value: "w.bin" }] as never,
    });
    expect(() => toArray(ext)).toThrow(/the data is external \(location=w\.bin\); load it first/);
    const neg = create(TensorProtoSchema, { name: "n", dataType: DataType.FLOAT, dims: [-1n] });
    expect(() => toArray(neg)).toThrow(/bad dimension -1/);
  });
});

describe("data type table", () => {
  it("names, bits and the IR version that introduced each type", () => {
    expect([
      dataTypeName(DataType.FLOAT8E5M2FNUZ),
      dataTypeBits(DataType.UINT4),
      minIrVersionForDataType(DataType.INT4),
    ]).toEqual(["float8e5m2fnuz", 4, 10]);
    expect(minIrVersionForDataType(DataType.INT2)).toBe(13);
    expect(() => dataTypeName(0)).toThrow(/unknown ONNX data type 0/);
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

describe("toTensor / fromTensor bridge to @quantkit/tensor", () => {
  it("toTensor decodes to float32 with the dims as shape; fromTensor keeps the shape", () => {
    const t = toTensor(makeTensor("w", DataType.BFLOAT16, [2, 1], [1, -3]));
    expect([t.shape, Array.from(t.data)]).toEqual([
      [2, 1],
      [1, -3],
    ]);
    const p = fromTensor(tensor(new Int8Array([1, 2, 3, 4, 5, 6]), [3, 2]), {
      name: "q",
      dataType: DataType.INT4,
    });
    expect([p.dims, hex(p.rawData)]).toEqual([[3n, 2n], "21 43 65"]);
  });
});
