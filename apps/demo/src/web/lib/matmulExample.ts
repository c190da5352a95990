/**
 * Section 7's worked example: a tiny Linear layer Y = X Wᵀ + B quantized the way the deck does it
 * (uint8 asymmetric activations, int8 symmetric weights, int32 bias at scale s_x · s_w), multiplied
 * by @quantkit/kernels' integer GEMM, requantized to uint8, and laid out step by step for one output.
 */
import { createCpuKernels, prepareQuantizedLinear, type QuantizedLinearLayer } from "@quantkit/kernels";
import { calculateQParams, dequantize, quantize } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { extent } from "./histogram";

export interface MatmulExample {
  m: number;
  k: number;
  n: number;
  /** Float inputs: X [m, k], W [n, k] (a Linear layer's weight), B [n]. */
  x: Float32Array;
  w: Float32Array;
  b: Float32Array;
  xq: Uint8Array;
  xScale: number;
  xZeroPoint: number;
  wq: Int8Array;
  wScale: number;
  /** The prepared layer: int32 bias, fixed-point multiplier and shift. */
  layer: QuantizedLinearLayer;
  /** Σ_k (x_q − z_x) · w_q + bias_q, [m, n], int32: the MAC results. */
  acc: Int32Array;
  /** The float result X Wᵀ + B, [m, n]. */
  y: Float32Array;
  yScale: number;
  yZeroPoint: number;
  /** Requantized uint8 outputs, [m, n]. */
  yq: Uint8Array;
  /** The same through `quantizedLinear` in one call (must equal yq). */
  yLinear: Uint8Array;
  /** scale · (y_q − zero): what the integer layer says Y is. */
  yDequantized: Float32Array;
  /** The real multiplier s_x · s_w / s_y that multiplier · 2^(shift − 31) stands for. */
  realMultiplier: number;
  /** The kernels' backend name. */
  backend: string;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Builds the example from a seed: X uniform in [-1, 2], W normal with std 0.5, B uniform in
 * [-0.5, 0.5], all rounded to two decimals so that they read well.
 *
 * @example
 * const ex = matmulExample(1);
 * ex.acc.length // 6 (m = 2, n = 3)
 */
export function matmulExample(seed = 1, m = 2, k = 4, n = 3): MatmulExample {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: m * k }, () => round2(rng.uniform(-1, 2)));
  const w = Float32Array.from({ length: n * k }, () => round2(rng.normal(0, 0.5)));
  const b = Float32Array.from({ length: n }, () => round2(rng.uniform(-0.5, 0.5)));
  const cpu = createCpuKernels({ simd: false });

  const [xMin, xMax] = extent(x);
  const xq_ = calculateQParams(xMin, xMax, { dtype: "quint8" });
  const xq = quantize(x, [m, k], xq_) as Uint8Array;
  const [wMin, wMax] = extent(w);
  const wq_ = calculateQParams(wMin, wMax, { dtype: "qint8", qscheme: "per_tensor_symmetric" });
  const wq = quantize(w, [n, k], wq_) as Int8Array;

  const y = cpu.matmulF32(x, w, { m, k, n, transB: true, bias: b });
  const [yMin, yMax] = extent(y);
  const yq_ = calculateQParams(yMin, yMax, { dtype: "quint8" });

  const xScale = xq_.scale[0]!;
  const xZeroPoint = xq_.zeroPoint[0]!;
  const wScale = wq_.scale[0]!;
  const yScale = yq_.scale[0]!;
  const yZeroPoint = yq_.zeroPoint[0]!;
  const layer = prepareQuantizedLinear({
    weight: wq,
    inFeatures: k,
    outFeatures: n,
    weightScale: wScale,
    inputScale: xScale,
    inputZeroPoint: xZeroPoint,
    bias: b,
    outputScale: yScale,
    outputZeroPoint: yZeroPoint,
  });
  const acc = cpu.matmulInteger(xq, wq, { m, k, n, aZeroPoint: xZeroPoint, transB: true });
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) acc[i * n + j]! += layer.bias[j]!;
  const yq = cpu.requantize(acc, {
    multiplier: layer.multiplier,
    shift: layer.shift,
    outputZeroPoint: yZeroPoint,
    outputMin: layer.outputMin,
    outputMax: layer.outputMax,
    channels: n,
  }) as Uint8Array;
  const yLinear = cpu.quantizedLinear(xq, layer, m);
  const yDequantized = dequantize(yq, [m, n], yq_);
  return {
    m,
    k,
    n,
    x,
    w,
    b,
    xq,
    xScale,
    xZeroPoint,
    wq,
    wScale,
    layer,
    acc,
    y,
    yScale,
    yZeroPoint,
    yq,
    yLinear,
    yDequantized,
    realMultiplier: (xScale * wScale) / yScale,
    backend: cpu.backend,
  };
}

/** One MAC step of output (i, j). */
export interface MacStep {
  k: number;
  xq: number;
  /** x_q − z_x */
  xCentered: number;
  wq: number;
  product: number;
  /** The accumulator after this step (it starts at bias_q[j]). */
  acc: number;
}

/**
 * The Multiply-Accumulate steps of output (i, j), as the deck's MAC block runs them: the accumulator
 * starts at the int32 bias and adds (x_q − z_x) · w_q once per k. Its last `acc` is the GEMM's.
 *
 * @example
 * const ex = matmulExample(1);
 * macSteps(ex, 0, 0).at(-1)!.acc === ex.acc[0] // true
 */
export function macSteps(ex: MatmulExample, i: number, j: number): MacStep[] {
  if (!Number.isInteger(i) || i < 0 || i >= ex.m)
    throw new RangeError(`i must be in 0..${ex.m - 1}, got ${i}`);
  if (!Number.isInteger(j) || j < 0 || j >= ex.n)
    throw new RangeError(`j must be in 0..${ex.n - 1}, got ${j}`);
  const steps: MacStep[] = [];
  let acc = ex.layer.bias[j]!;
  for (let kk = 0; kk < ex.k; kk++) {
    const xq = ex.xq[i * ex.k + kk]!;
    const wq = ex.wq[j * ex.k + kk]!;
    const xCentered = xq - ex.xZeroPoint;
    const product = xCentered * wq;
    acc += product;
    steps.push({ k: kk, xq, xCentered, wq, product, acc });
  }
  return steps;
}
