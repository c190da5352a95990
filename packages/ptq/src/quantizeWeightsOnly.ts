import { Linear, type Module, sequentialLeaves } from "@quantkit/nn";
import { assertOptions } from "@quantkit/tensor";
import {
  applyToLinear,
  awq,
  type BlockBits,
  gptq,
  hqq,
  linearWeight,
  quantizeBlockwise,
  WEIGHT_ONLY_METHODS,
  type WeightOnlyMethod,
} from "@quantkit/weights";
import { _cloneTree } from "./_clone";
import { LinearReLU } from "./LinearReLU";

/** The weight-only methods of {@link quantizeWeightsOnly}: @quantkit/weights' own list. */
export { WEIGHT_ONLY_METHODS, type WeightOnlyMethod };

/** Options of {@link quantizeWeightsOnly}. */
export interface QuantizeWeightsOnlyOptions {
  /** "rtn" (default; ONNX Runtime's round-to-nearest), "gptq", "awq" (need `calibration`) or "hqq" (data-free). */
  method?: WeightOnlyMethod;
  /** 2, 3, 4 (default) or 8 bits per weight. */
  bits?: BlockBits;
  /** Inputs per block along each Linear's inFeatures: a power of two in 16..256 (default 32). */
  blockSize?: number;
  /** Symmetric blocks; default false (asymmetric, ONNX Runtime's default). HQQ is always asymmetric. */
  symmetric?: boolean;
  /**
   * Model inputs [rows, ...inputShape] whose float forward pass gives each Linear its calibration rows
   * (the layer's inputs, as the float model computes them); needed by "gptq" and "awq".
   */
  calibration?: { readonly data: Float32Array; readonly shape: readonly number[] };
}

/** What {@link quantizeWeightsOnly} did to one Linear. */
export interface WeightOnlyLayerReport {
  /** Dotted path in the model ("fc1", "block.0"). */
  path: string;
  inFeatures: number;
  outFeatures: number;
  quantized: boolean;
  /** What it became, or why it stayed float. */
  detail: string;
  /** 10 log10(sum w^2 / sum (w - w_q)^2) of the weight the layer now uses (Infinity when equal). */
  weightSqnrDb: number;
  /** Bytes of its weight, scales, zero points and bias as MatMulNBits stores them (float: 4 per value). */
  sizeBytes: number;
}

/**
 * Weight-only post-training quantization of every Linear of a float model (`@quantkit/nn`): each weight
 * is quantized in blocks along its inputs by `@quantkit/weights` (round-to-nearest, GPTQ, AWQ or HQQ) and
 * replaced by the float weight its codes stand for; activations stay float32. Returns a quantized copy
 * (the input model is not changed), a report per Linear and the model's size in bytes with every
 * quantized weight packed as MatMulNBits stores it (codes of `bits` bits, padded to whole blocks;
 * float32 scales; zero points of `bits` bits, or float32 for HQQ; AWQ's 1/s per input as float32; float32
 * biases and other parameters).
 * GPTQ and AWQ see each Linear's inputs on `calibration`, computed by the float model.
 *
 * @example
 * import { createMlp } from "@quantkit/nn";
 * import { quantizeWeightsOnly } from "@quantkit/ptq";
 * const fp32 = createMlp([784, 100, 10]);
 * const x = { data: new Float32Array(64 * 784).fill(0.5), shape: [64, 784] };
 * const { model, layers, sizeBytes } = quantizeWeightsOnly(fp32, { method: "gptq", bits: 3, calibration: x });
 * layers.map((l) => l.quantized) // [true, true]
 * sizeBytes // 42100 (fp32: 318,040)
 */
export function quantizeWeightsOnly(
  model: Module,
  options: QuantizeWeightsOnlyOptions = {},
): { model: Module; layers: WeightOnlyLayerReport[]; sizeBytes: number } {
  const fn = "quantizeWeightsOnly";
  assertOptions(options, ["method", "bits", "blockSize", "symmetric", "calibration"], `${fn} options`);
  const method = options.method ?? "rtn";
  if (!(WEIGHT_ONLY_METHODS as readonly string[]).includes(method)) {
    throw new RangeError(
      `${fn}: method must be one of ${WEIGHT_ONLY_METHODS.join(", ")}, got ${JSON.stringify(method)}`,
    );
  }
  const bits = options.bits ?? 4;
  const blockSize = options.blockSize ?? 32;
  const symmetric = method === "hqq" ? false : (options.symmetric ?? false);
  if (method === "hqq" && options.symmetric === true)
    throw new RangeError(`${fn}: method "hqq" quantizes asymmetric blocks; symmetric: true is not possible`);
  const calibration = options.calibration;
  if ((method === "gptq" || method === "awq") && calibration === undefined) {
    throw new TypeError(
      `${fn}: method "${method}" needs calibration: pass options.calibration = { data, shape } (model inputs)`,
    );
  }
  if (calibration !== undefined) {
    const { data, shape } = calibration;
    const n = Array.isArray(shape) ? shape.reduce((a: number, b: number) => a * b, 1) : Number.NaN;
    if (!(data instanceof Float32Array) || n !== data.length || data.length === 0) {
      throw new RangeError(
        `${fn}: calibration must be { data: Float32Array, shape } with data.length = product of shape > 0; got ${
          data instanceof Float32Array ? data.length : typeof data
        } values for shape [${String(shape)}]`,
      );
    }
  }

  const copy = _cloneTree(model, "", fn);
  const linears: Array<[string, Linear]> = [];
  for (const [path, m] of sequentialLeaves(copy)) {
    if (m instanceof Linear) linears.push([path, m]);
    else if (m instanceof LinearReLU) linears.push([path, m.linear]);
  }
  // Each Linear's inputs on the calibration rows, from the float copy before any weight changes.
  const inputs = new Map<Linear, Float32Array>();
  if (calibration !== undefined && method !== "rtn" && method !== "hqq") {
    const handles = linears.map(([, l]) =>
      l.registerForwardPreHook((_m, x) => {
        inputs.set(l, Float32Array.from(x.data));
        return undefined;
      }),
    );
    const training = copy.training;
    copy.eval();
    try {
      copy.call(calibration.data, [...calibration.shape]);
    } finally {
      for (const h of handles) h.remove();
      copy.train(training);
    }
  }

  const layers: WeightOnlyLayerReport[] = [];
  let quantizedParameters = 0;
  let quantizedBytes = 0;
  for (const [path, layer] of linears) {
    const { weight, shape } = linearWeight(layer);
    const original = Float32Array.from(weight);
    const [N, K] = shape;
    const bias = layer.bias === null ? 0 : N;
    const report = { path, inFeatures: K, outFeatures: N };
    if (K < blockSize) {
      layers.push({
        ...report,
        quantized: false,
        detail: `inFeatures ${K} is smaller than the block size ${blockSize}: kept float`,
        weightSqnrDb: Number.POSITIVE_INFINITY,
        sizeBytes: 4 * (N * K + bias),
      });
      continue;
    }
    const block = { bits, blockSize, symmetric };
    const x = inputs.get(layer);
    const q =
      method === "rtn"
        ? quantizeBlockwise(weight, shape, block)
        : method === "hqq"
          ? hqq(weight, shape, { bits, blockSize })
          : method === "gptq"
            ? gptq(weight, shape, x!, block)
            : awq(weight, shape, x!, block);
    applyToLinear(layer, q);
    const nBlocks = Math.ceil(K / blockSize);
    const zeroBytes = symmetric
      ? 0
      : method === "hqq"
        ? 4 * N * nBlocks
        : N * Math.ceil((nBlocks * bits) / 8);
    // AWQ's codes are of W diag(s): the runtime needs 1/s on the inputs too (a Mul, K float32 values).
    const awqScaleBytes = method === "awq" ? 4 * K : 0;
    const sizeBytes =
      (N * nBlocks * blockSize * bits) / 8 + 4 * N * nBlocks + zeroBytes + 4 * bias + awqScaleBytes;
    quantizedParameters += N * K + bias;
    quantizedBytes += sizeBytes;
    layers.push({
      ...report,
      quantized: true,
      detail: `${bits}-bit ${method}, blocks of ${blockSize}, ${
        method === "hqq" ? "float zero points" : symmetric ? "symmetric" : "asymmetric"
      }${method === "awq" ? " (AWQ's input scaling folded into the weight)" : ""}`,
      weightSqnrDb: _sqnrDb(original, layer.weight.data),
      sizeBytes,
    });
  }
  let parameters = 0;
  for (const p of copy.parameters()) parameters += p.data.length;
  return { model: copy, layers, sizeBytes: quantizedBytes + 4 * (parameters - quantizedParameters) };
}

function _sqnrDb(ref: Float32Array, approx: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = ref[i]! - approx[i]!;
    signal += ref[i]! * ref[i]!;
    noise += d * d;
  }
  return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
}
