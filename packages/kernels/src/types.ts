/**
 * The contracts every quantkit kernel backend implements: @quantkit/kernels (CPU: JS and
 * WebAssembly SIMD) and @quantkit/kernels-gpu (gpu.js). A backend is an object of type
 * {@link Kernels}; the integer model of @quantkit/ptq runs on whichever one the caller passes.
 *
 * Every result is bit-exact across backends: same inputs, same integers.
 */

/** 8-bit operand arrays: ONNX MatMulInteger takes uint8 or int8 for each side. */
export type Int8Like = Int8Array | Uint8Array;

/** Options of {@link Kernels.matmulInteger} (ONNX `MatMulInteger` semantics). */
export interface MatmulIntegerOptions {
  /** Rows of A and of the result. */
  m: number;
  /** Columns of A, rows of B (the reduction length). */
  k: number;
  /** Columns of B and of the result. */
  n: number;
  /** A's zero point (per tensor), in A's dtype range. Default 0. */
  aZeroPoint?: number;
  /** B's zero point: one for the tensor, or one per column of the result (length n). Default 0. */
  bZeroPoint?: number | Int32Array;
  /** When true, B is laid out [N, K] (a Linear layer's weight) instead of [K, N]. Default false. */
  transB?: boolean;
  /** Where to write the [M, N] result; allocated when absent. */
  out?: Int32Array;
}

/** Options of {@link Kernels.matmulF32}. */
export interface MatmulF32Options {
  m: number;
  k: number;
  n: number;
  /** When true, B is laid out [N, K]. Default false. */
  transB?: boolean;
  /** Optional bias of length n added to every row. */
  bias?: Float32Array;
  out?: Float32Array;
}

/**
 * A quantized Linear layer ready for integer-only inference: y = requantize(x_q W_q^T + bias_q).
 * Made once, at convert time, by `prepareQuantizedLinear` (which is where the float scales are
 * turned into fixed-point multipliers); nothing in it is float on the inference path.
 */
export interface QuantizedLinearLayer {
  inFeatures: number;
  outFeatures: number;
  /** int8 weights, [outFeatures, inFeatures], symmetric (zero point 0). */
  weight: Int8Array;
  /** Input (uint8) zero point. */
  inputZeroPoint: number;
  /** Output (uint8) zero point. */
  outputZeroPoint: number;
  /** int32 bias, scale s_in * s_w[c], zero point 0, length outFeatures. */
  bias: Int32Array;
  /** Fixed-point requantization multiplier per output channel (length outFeatures, or 1 for per tensor). */
  multiplier: Int32Array;
  /** Requantization shift per output channel, TFLite convention (positive = left shift). */
  shift: Int32Array;
  /** Output clamp [qmin, qmax] (a fused ReLU raises qmin to the output zero point). */
  outputMin: number;
  outputMax: number;
}

/**
 * A quantized 2-D convolution (NCHW input, OIHW weight), integer-only like {@link QuantizedLinearLayer}.
 */
export interface QuantizedConv2dLayer {
  inChannels: number;
  outChannels: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  groups: number;
  /** int8 weights [outChannels, inChannels / groups, kernelH, kernelW], zero point 0. */
  weight: Int8Array;
  inputZeroPoint: number;
  outputZeroPoint: number;
  bias: Int32Array;
  multiplier: Int32Array;
  shift: Int32Array;
  outputMin: number;
  outputMax: number;
}

/** What every backend offers. The CPU kernels are the reference the others equal bit for bit. */
export interface Kernels {
  /** The backend that actually runs: 'js', 'wasm-simd', 'headlessgl', 'webgl2', 'webgpu', 'webasm', 'cpu'… */
  readonly backend: string;
  /** int8/uint8 x int8/uint8 -> int32, sum over k of (a - aZeroPoint)(b - bZeroPoint). */
  matmulInteger(a: Int8Like, b: Int8Like, options: MatmulIntegerOptions): Int32Array;
  /** fp32 GEMM, the baseline. */
  matmulF32(a: Float32Array, b: Float32Array, options: MatmulF32Options): Float32Array;
  /** uint8 [batch, inFeatures] -> uint8 [batch, outFeatures], integer only. */
  quantizedLinear(x: Uint8Array, layer: QuantizedLinearLayer, batch: number, out?: Uint8Array): Uint8Array;
  /** uint8 NCHW [batch, C, H, W] -> uint8 NCHW, integer only (im2col + the integer GEMM). */
  quantizedConv2d(
    x: Uint8Array,
    layer: QuantizedConv2dLayer,
    input: { batch: number; height: number; width: number },
    out?: Uint8Array,
  ): Uint8Array;
  /** Requantizes int32 accumulators to uint8/int8 codes with per-channel multiplier/shift (channel = last axis). */
  requantize(
    acc: Int32Array,
    params: {
      multiplier: Int32Array;
      shift: Int32Array;
      outputZeroPoint: number;
      outputMin: number;
      outputMax: number;
      channels: number;
    },
    out?: Uint8Array | Int8Array,
  ): Uint8Array | Int8Array;
}
