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

/** Parameters of `requantize` ({@link Kernels.requantize}): the fixed-point scaling and the output code range. */
export interface RequantizeParams {
  /** Fixed-point multipliers (from `quantizeMultiplier`), one per tensor or one per channel. */
  multiplier: Int32Array;
  /** Their shifts (TFLite convention), same length as `multiplier`, each in [-31, 30]. */
  shift: Int32Array;
  /** Zero point of the output codes. */
  outputZeroPoint: number;
  /** Output clamp [outputMin, outputMax], inside the output dtype (a fused ReLU sets outputMin = zero point). */
  outputMin: number;
  outputMax: number;
  /** Length of the channel axis, the last axis of `acc`: element i belongs to channel i % channels. */
  channels: number;
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
  requantize(acc: Int32Array, params: RequantizeParams, out?: Uint8Array | Int8Array): Uint8Array | Int8Array;
}

/**
 * A Linear layer a backend keeps in its own memory (made by {@link PreparedLayerKernels.prepareLinear}).
 * It is a {@link QuantizedLinearLayer} (same fields, same arrays), so it goes wherever a layer goes;
 * the backend that made it skips the upload. The copy is a snapshot: change the arrays, prepare again.
 */
export interface PreparedLinearLayer extends QuantizedLinearLayer {
  /** The backend whose memory holds it. */
  readonly backend: string;
  /** Frees the backend's copy; the layer then behaves as a plain one. */
  release(): void;
}

/** Extension of {@link Kernels}: layers uploaded once and kept in the backend's memory (@quantkit/kernels-gpu). */
export interface PreparedLayerKernels extends Kernels {
  /** Uploads a Linear layer's weight and parameters once, for repeated calls. */
  prepareLinear(layer: QuantizedLinearLayer): PreparedLinearLayer;
}

/** Extension of {@link Kernels}: a chain of Linear layers run as one call (one upload, one readback). */
export interface LinearSequenceKernels extends Kernels {
  /**
   * Runs Linear layers one after another (a quantized MLP's forward pass; a fused ReLU is the layer's
   * outputMin), giving what `quantizedLinear` layer by layer gives.
   */
  quantizedLinearSequence(
    x: Uint8Array,
    layers: readonly QuantizedLinearLayer[],
    batch: number,
    out?: Uint8Array,
  ): Uint8Array;
}

/** Extension of {@link Kernels}: an asynchronous twin of every method (the only kind WebGPU can run). */
export interface AsyncKernels extends Kernels {
  matmulIntegerAsync(a: Int8Like, b: Int8Like, options: MatmulIntegerOptions): Promise<Int32Array>;
  matmulF32Async(a: Float32Array, b: Float32Array, options: MatmulF32Options): Promise<Float32Array>;
  quantizedLinearAsync(
    x: Uint8Array,
    layer: QuantizedLinearLayer,
    batch: number,
    out?: Uint8Array,
  ): Promise<Uint8Array>;
  quantizedConv2dAsync(
    x: Uint8Array,
    layer: QuantizedConv2dLayer,
    input: { batch: number; height: number; width: number },
    out?: Uint8Array,
  ): Promise<Uint8Array>;
  requantizeAsync(
    acc: Int32Array,
    params: RequantizeParams,
    out?: Uint8Array | Int8Array,
  ): Promise<Uint8Array | Int8Array>;
}

/** Both extensions together, asynchronously: {@link LinearSequenceKernels} with an async twin of the chain. */
export interface AsyncLinearSequenceKernels extends LinearSequenceKernels, AsyncKernels {
  quantizedLinearSequenceAsync(
    x: Uint8Array,
    layers: readonly QuantizedLinearLayer[],
    batch: number,
    out?: Uint8Array,
  ): Promise<Uint8Array>;
}
