import type { _ConvLayerShape } from "./_convShape";
import type { _RequantParams } from "./_requantizeJs";
import type { Int8Like, QuantizedConv2dLayer, QuantizedLinearLayer } from "./types";

/** The shape of one conv2d call, checked and resolved (NCHW input, OIHW weight): the layer's geometry and the input's. */
export interface _ConvGeometry extends _ConvLayerShape {
  batch: number;
  height: number;
  width: number;
  outH: number;
  outW: number;
}

/**
 * What a CPU code path implements, on arguments the public functions have already checked
 * (dimensions >= 1 where it matters, lengths, zero points, output arrays allocated).
 */
export interface _Engine {
  readonly backend: "js" | "wasm-simd";
  matmulInteger(
    a: Int8Like,
    b: Int8Like,
    m: number,
    k: number,
    n: number,
    aZeroPoint: number,
    bZeroPoints: Int32Array | null,
    transB: boolean,
    out: Int32Array,
  ): void;
  matmulF32(
    a: Float32Array,
    b: Float32Array,
    m: number,
    k: number,
    n: number,
    transB: boolean,
    bias: Float32Array | null,
    out: Float32Array,
  ): void;
  quantizedLinear(x: Uint8Array, layer: QuantizedLinearLayer, batch: number, out: Uint8Array): void;
  quantizedConv2d(x: Uint8Array, layer: QuantizedConv2dLayer, geometry: _ConvGeometry, out: Uint8Array): void;
  conv2dF32(
    x: Float32Array,
    weight: Float32Array,
    bias: Float32Array | null,
    geometry: _ConvGeometry,
    out: Float32Array,
  ): void;
  requantize(
    acc: Int32Array,
    rows: number,
    cols: number,
    params: _RequantParams,
    out: Uint8Array | Int8Array,
  ): void;
}
