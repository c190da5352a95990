import { tensor } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { DataType, fromTensor, makeTensor, toTensor } from "../src/index";
import { hex } from "./_bytes";

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
