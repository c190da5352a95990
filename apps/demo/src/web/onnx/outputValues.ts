import { float16 } from "@quantkit/numeric";

/**
 * The values of an output tensor as float64, for the side-by-side table and SQNR: float16 outputs are
 * decoded from their bits (@quantkit/onnx's ortEngine returns float16 as Uint16Array bits on every
 * runtime), int64 converted, the other numeric types taken as they are.
 *
 * @example
 * outputValues({ type: "float16", data: Uint16Array.of(0x3c00, 0xc000) }); // Float64Array [1, -2]
 */
export function outputValues(t: { type: string; data: unknown }): Float64Array {
  if (t.type === "float16") {
    const d = t.data as Uint16Array;
    return Float64Array.from(float16.decodeArray(new Uint16Array(d.buffer, d.byteOffset, d.length)));
  }
  return Float64Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}
