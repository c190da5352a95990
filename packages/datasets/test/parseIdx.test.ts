import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIdx } from "../src/index";
import { idx } from "./_idxFiles";

describe("parseIdx reads the IDX format", () => {
  it("decodes a hand-written MNIST-style images header: magic 0x00000803, dims big-endian", () => {
    // 2 images of 2x3: magic 00 00 08 03, dims 00000002 00000002 00000003, then 12 pixels.
    const bytes = new Uint8Array([
      0,
      0,
      8,
      3,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3,
      ...Array.from({ length: 12 }, (_, i) => i * 20),
    ]);
    const out = parseIdx(bytes);
    expect(out.dtype).toBe("uint8");
    expect(out.shape).toEqual([2, 2, 3]);
    expect(Array.from(out.data)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220]);
    // uint8 data is a view on the input, not a copy
    expect(out.data.buffer).toBe(bytes.buffer);
    expect(out.data.byteOffset).toBe(16);
  });
  it("decodes every element type big-endian", () => {
    expect(Array.from(parseIdx(idx(0x09, [3], [-128, 0, 127], 1)).data)).toEqual([-128, 0, 127]);
    const i16 = parseIdx(idx(0x0b, [2], [-2, 0x1234], 2));
    expect([i16.dtype, ...i16.data]).toEqual(["int16", -2, 0x1234]);
    // 0x01020304 stored big-endian is bytes 01 02 03 04
    const i32bytes = idx(0x0c, [1], [0x01020304], 4);
    expect(Array.from(i32bytes.subarray(8))).toEqual([1, 2, 3, 4]);
    expect(parseIdx(i32bytes).data[0]).toBe(0x01020304);
    expect(Array.from(parseIdx(idx(0x0d, [2], [1.5, -0.25], 4)).data)).toEqual([1.5, -0.25]);
    expect(Array.from(parseIdx(idx(0x0e, [1, 1], [Math.PI], 8)).data)).toEqual([Math.PI]);
  });
  it("round-trips any shape and int32 contents (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
              minLength: shape.reduce((a, b) => a * b, 1),
              maxLength: shape.reduce((a, b) => a * b, 1),
            }),
          ),
        ),
        ([shape, values]) => {
          const out = parseIdx(idx(0x0c, shape, values, 4));
          expect(out.shape).toEqual(shape);
          expect(Array.from(out.data)).toEqual(values);
        },
      ),
    );
  });
  it("rejects a wrong magic number, naming the file and the bytes", () => {
    expect(() => parseIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), "mnist.zip")).toThrow(
      "mnist.zip has a wrong magic number 0x504b0304",
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 7, 1, 0, 0, 0, 1, 0]))).toThrow(
      /wrong magic number 0x00000701: unknown IDX type byte 0x07/,
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/declares 0 dimensions/);
  });
  it("rejects truncated headers and bodies", () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]), "f")).toThrow(
      "f is truncated: 3 bytes, an IDX header needs at least 4",
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0]), "f")).toThrow(
      "f is truncated: its header declares 3 dimensions (16 header bytes) but the file has 10 bytes",
    );
    const full = idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8], 1);
    expect(() => parseIdx(full.subarray(0, full.length - 1), "images")).toThrow(
      "images is truncated: dimensions [2, 2, 2] of uint8 need 8 data bytes but the file has 7",
    );
    const wide = idx(0x0c, [3], [1, 2, 3], 4);
    expect(() => parseIdx(wide.subarray(0, wide.length - 2))).toThrow(
      /need 12 data bytes but the file has 10/,
    );
  });
  it("rejects dimensions that disagree with the size (trailing bytes)", () => {
    const bytes = new Uint8Array([...idx(0x08, [2], [1, 2], 1), 99]);
    expect(() => parseIdx(bytes, "labels")).toThrow(
      "labels: dimensions [2] of uint8 disagree with the size: they need 2 data bytes but the file has 3",
    );
  });
  it("refuses gzip and non-Uint8Array input with a pointer to what to do", () => {
    expect(() => parseIdx(gzipSync(idx(0x08, [1], [5], 1)), "x.gz")).toThrow(
      /x.gz is gzip-compressed.*readIdx/,
    );
    // @ts-expect-error a plain array is not accepted
    expect(() => parseIdx([0, 0, 8, 1])).toThrow(TypeError);
  });
});
