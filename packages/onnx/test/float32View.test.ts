import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { _Float32Scratch, _float32View } from "../src/_float32View";
import { DataLocation, TensorProtoSchema } from "../src/index";
import { toFloat32Array } from "../src/toFloat32Array";

const VALUES = Float32Array.of(1.5, -2.25, 3e-8, 65504, -0);

/** A float32 tensor whose raw_data starts `offset` bytes into a larger buffer (as readModel's views do). */
function tensorAt(offset: number) {
  const buffer = new Uint8Array(offset + VALUES.byteLength + 3);
  buffer.set(new Uint8Array(VALUES.buffer), offset);
  const rawData = buffer.subarray(offset, offset + VALUES.byteLength);
  return create(TensorProtoSchema, { name: "w", dataType: 1, dims: [5n], rawData });
}

describe("_float32View", () => {
  it("is a view of raw_data when it is 4-byte aligned: no copy of the model's bytes", () => {
    const t = tensorAt(8);
    const v = _float32View(t);
    expect(v).toEqual(VALUES);
    expect(v.buffer).toBe(t.rawData.buffer);
    expect(v.byteOffset).toBe(t.rawData.byteOffset);
  });

  it("copies unaligned raw_data: into a new array, or into the scratch buffer, which is reused", () => {
    const t = tensorAt(5);
    const copy = _float32View(t);
    expect(copy).toEqual(VALUES);
    expect(copy.buffer).not.toBe(t.rawData.buffer);
    const scratch = new _Float32Scratch();
    const a = _float32View(t, scratch);
    expect(a).toEqual(VALUES);
    const b = _float32View(tensorAt(7), scratch);
    expect(b).toEqual(VALUES);
    expect(b.buffer).toBe(a.buffer); // one buffer for every read
    expect(b.buffer).not.toBe(t.rawData.buffer);
  });

  it("reads float_data, other types and bad tensors through toFloat32Array (the same values, the same errors)", () => {
    const typed = create(TensorProtoSchema, { name: "f", dataType: 1, dims: [2n], floatData: [0.5, -1] });
    expect(_float32View(typed)).toEqual(Float32Array.of(0.5, -1));
    const short = create(TensorProtoSchema, {
      name: "s",
      dataType: 1,
      dims: [3n],
      rawData: new Uint8Array(8),
    });
    expect(() => _float32View(short)).toThrow(toErrorOf(short));
    expect(() => _float32View(short, new _Float32Scratch())).toThrow(toErrorOf(short));
    const external = create(TensorProtoSchema, {
      name: "e",
      dataType: 1,
      dims: [2n],
      rawData: new Uint8Array(8),
      dataLocation: DataLocation.EXTERNAL,
    });
    expect(() => _float32View(external)).toThrow(toErrorOf(external));
    const negative = create(TensorProtoSchema, {
      name: "n",
      dataType: 1,
      dims: [-2n, -1n],
      rawData: new Uint8Array(8),
    });
    expect(() => _float32View(negative)).toThrow(toErrorOf(negative));
  });
});

function toErrorOf(t: Parameters<typeof toFloat32Array>[0]): string {
  try {
    toFloat32Array(t);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("toFloat32Array did not throw");
}
