import {
  createCpuKernels,
  type Kernels,
  type PreparedLinearLayer,
  type QuantizedLinearLayer,
  supportsAsync,
  supportsAsyncLinearSequence,
  supportsLinearSequence,
  supportsPreparedLayers,
} from "@quantkit/kernels";
import { argmax } from "@quantkit/nn";
import { dequantize, quantize } from "@quantkit/quantizers";
import type { Tensor } from "@quantkit/tensor";
import { _checkActivation, _toQParams } from "./_activation";
import { _checkWeighted } from "./_checkWeighted";
import { _maxPool2dCodes, _outputShape, _reluCodes } from "./_integerOps";
import type { ObservedRange } from "./convertible";
import type { ActivationQParams, IntegerLayer, IntegerLinear } from "./integerLayers";

/** Options of the integer model's forward passes. */
export interface ForwardOptions {
  /**
   * The kernels that run the integer layers: `createCpuKernels()` (the default, WebAssembly SIMD where
   * available), `createCpuKernels({ simd: false })`, or `createGpuKernels()` of @quantkit/kernels-gpu.
   * Every backend gives the same codes.
   */
  kernels?: Kernels;
}

/** One layer's output in {@link QuantizedModel.trace}. */
export interface LayerTrace {
  /** "quant" for the quantized input, then each layer's name. */
  readonly name: string;
  readonly codes: Uint8Array;
  /** Full shape, batch first. */
  readonly shape: readonly number[];
  readonly qparams: ActivationQParams;
}

/** What a `QuantizedModel` is built from (by `convert`, or when a file is loaded). */
export interface QuantizedModelInit {
  /** One sample's shape ([784] for the MLP, [1, 28, 28] for a convolutional net). */
  readonly inputShape: readonly number[];
  /** The QuantStub's quantization of the float input. */
  readonly input: ActivationQParams;
  /** The raw input range calibration saw (for reports). */
  readonly inputObservedRange?: ObservedRange | null;
  readonly layers: readonly IntegerLayer[];
  /** Free-form strings kept in saved files (the qconfig's name, ...). */
  readonly info?: Readonly<Record<string, string>>;
}

/** The kernels the model uses when none are given, made on first use. */
let defaultKernels: Kernels | undefined;
function kernelsOf(options: ForwardOptions | undefined): Kernels {
  const k = options?.kernels;
  if (k === undefined) return (defaultKernels ??= createCpuKernels());
  if (k === null || typeof k !== "object" || typeof k.quantizedLinear !== "function") {
    throw new TypeError(
      "options.kernels must be a Kernels object (createCpuKernels() or createGpuKernels())",
    );
  }
  return k;
}

/**
 * The integer-only model `convert` produces (and `loadQuantizedModel` reads): the float input is
 * quantized once (the QuantStub), every layer maps uint8 codes to uint8 codes with int8 weights, int32
 * accumulators and biases and fixed-point requantization (run by the `Kernels` object the caller
 * passes), and the output is dequantized once (the DeQuantStub). Nothing float happens in between.
 *
 * On kernels that keep layers on a device (@quantkit/kernels-gpu's `prepareLinear` /
 * `quantizedLinearSequence`), consecutive Linear layers run as one chain: one upload, one readback.
 *
 * @example
 * const quantized = convert(prepared);
 * const logits = quantized.forward(test.images.subarray(0, 10 * 784), 10); // { data, shape: [10, 10] }
 * quantized.predict(x, 10)                                             // Int32Array of classes
 * quantized.forward(x, 10, { kernels: createCpuKernels({ simd: false }) }) // same numbers, plain JS
 */
export class QuantizedModel {
  readonly inputShape: readonly number[];
  readonly input: ActivationQParams;
  /** The raw input range calibration saw, or null. */
  readonly inputObservedRange: ObservedRange | null;
  readonly layers: readonly IntegerLayer[];
  readonly info: Readonly<Record<string, string>>;
  /** One sample's output shape. */
  readonly outputShape: readonly number[];
  /** The output's quantization (the last layer's). */
  readonly output: ActivationQParams;
  /**
   * The quantization of each layer's output: a Linear/Conv2d's `output`, kept by the ReLU, MaxPool2d and
   * Flatten after it. Layer i's input is `activations[i - 1]` (`input` for the first).
   */
  readonly activations: readonly ActivationQParams[];
  private readonly fullShapes: number[][];
  private readonly device = new WeakMap<
    object,
    Array<QuantizedLinearLayer | PreparedLinearLayer | undefined>
  >();

  /**
   * Checks the layers against each other: the shapes chain from `inputShape`, every qparams is in
   * range, and each Linear/Conv2d's kernel belongs to the quantization around it (its input zero point is
   * the previous output's, its output zero point its own output's, its clamp inside that output's range,
   * its multipliers the ones the input, weight and output scales give). RangeError naming the layer
   * otherwise.
   */
  constructor(init: QuantizedModelInit) {
    if (init === null || typeof init !== "object")
      throw new TypeError("QuantizedModel: init must be an object");
    const { inputShape, input, layers } = init;
    if (
      !Array.isArray(inputShape) ||
      inputShape.length === 0 ||
      !inputShape.every((d) => Number.isInteger(d) && d > 0)
    ) {
      throw new RangeError(
        `QuantizedModel: inputShape must be positive integers, got ${JSON.stringify(inputShape)}`,
      );
    }
    if (!Array.isArray(layers) || layers.length === 0)
      throw new RangeError("QuantizedModel: layers must be a non-empty array");
    _checkActivation(input, "QuantizedModel input");
    let shape = [1, ...inputShape];
    let previous = input;
    const fullShapes: number[][] = [];
    const activations: ActivationQParams[] = [];
    for (const layer of layers) {
      if (layer.kind === "linear" || layer.kind === "conv2d") _checkWeighted(layer, previous);
      shape = _outputShape(layer, shape);
      fullShapes.push(shape);
      if (layer.kind === "linear" || layer.kind === "conv2d") previous = layer.output;
      activations.push(previous);
    }
    this.inputShape = [...inputShape];
    this.input = input;
    this.inputObservedRange = init.inputObservedRange ?? null;
    this.layers = [...layers];
    this.info = { ...init.info };
    this.fullShapes = fullShapes;
    this.activations = activations;
    this.outputShape = shape.slice(1);
    this.output = previous;
  }

  /** Values per sample at the input. */
  get inputSize(): number {
    return this.inputShape.reduce((a, b) => a * b, 1);
  }

  /** Values per sample at the output. */
  get outputSize(): number {
    return this.outputShape.reduce((a, b) => a * b, 1);
  }

  private checkBatch(batch: number, length: number, perSample: number, what: string): void {
    if (!Number.isInteger(batch) || batch <= 0)
      throw new RangeError(`batch must be a positive integer, got ${batch}`);
    if (length !== batch * perSample) {
      throw new RangeError(
        `${what} has ${length} values but batch ${batch} x [${this.inputShape.join(", ")}] needs ${batch * perSample}`,
      );
    }
  }

  /**
   * The QuantStub: float input -> uint8 codes, q = clamp(zeroPoint + round(x / scale), quantMin,
   * quantMax) with PyTorch's float32 arithmetic (quantizers' `quantize`).
   */
  quantizeInput(x: Float32Array, batch: number): Uint8Array {
    if (!(x instanceof Float32Array))
      throw new TypeError(`x must be a Float32Array, got ${Object.prototype.toString.call(x)}`);
    this.checkBatch(batch, x.length, this.inputSize, "x");
    return quantize(x, [x.length], _toQParams(this.input)) as Uint8Array;
  }

  /** The DeQuantStub: output codes -> float, (q - zeroPoint) * scale in float32. */
  dequantizeOutput(codes: Uint8Array): Float32Array {
    return dequantize(codes, [codes.length], _toQParams(this.output));
  }

  /** The Linear layers as the kernels run them: prepared once where the kernels keep layers (a GPU). */
  private deviceLayers(k: Kernels): Array<QuantizedLinearLayer | PreparedLinearLayer | undefined> {
    let layers = this.device.get(k);
    if (layers === undefined) {
      const prepare = supportsPreparedLayers(k) ? (l: QuantizedLinearLayer) => k.prepareLinear(l) : null;
      layers = this.layers.map((l) =>
        l.kind === "linear" ? (prepare === null ? l.kernel : prepare(l.kernel)) : undefined,
      );
      this.device.set(k, layers);
    }
    return layers;
  }

  /** The run of Linear layers starting at i (for a chain on a device), as [end, kernels' layers]. */
  private linearRun(k: Kernels, i: number): [number, QuantizedLinearLayer[]] {
    const device = this.deviceLayers(k);
    let j = i;
    const run: QuantizedLinearLayer[] = [];
    while (j < this.layers.length && this.layers[j]!.kind === "linear") run.push(device[j++]!);
    return [j, run];
  }

  private step(
    k: Kernels,
    i: number,
    x: Uint8Array,
    inShape: readonly number[],
    outShape: readonly number[],
  ): Uint8Array {
    const layer = this.layers[i]!;
    switch (layer.kind) {
      case "linear": {
        const kernel = supportsLinearSequence(k) ? this.deviceLayers(k)[i]! : layer.kernel;
        return k.quantizedLinear(x, kernel, x.length / layer.kernel.inFeatures);
      }
      case "conv2d":
        return k.quantizedConv2d(x, layer.kernel, {
          batch: inShape[0]!,
          height: inShape[2]!,
          width: inShape[3]!,
        });
      case "maxpool2d":
        return _maxPool2dCodes(x, inShape, layer, outShape);
      case "relu":
        return _reluCodes(x, (i === 0 ? this.input : this.activations[i - 1]!).zeroPoint);
      case "flatten":
        return x;
    }
  }

  private shapeAt(i: number, batch: number): number[] {
    const s = this.fullShapes[i]!;
    return [batch, ...s.slice(1)];
  }

  /** The kernels of a forward pass over `xq`, after checking `xq` and `batch`. */
  private kernelsFor(xq: Uint8Array, batch: number, options: ForwardOptions | undefined): Kernels {
    const k = kernelsOf(options);
    if (!(xq instanceof Uint8Array))
      throw new TypeError(`xq must be a Uint8Array, got ${Object.prototype.toString.call(xq)}`);
    this.checkBatch(batch, xq.length, this.inputSize, "xq");
    return k;
  }

  /**
   * The integer-only forward pass: uint8 input codes (`quantizeInput`) -> uint8 output codes. Nothing
   * float on the way.
   */
  forwardCodes(xq: Uint8Array, batch: number, options?: ForwardOptions): Uint8Array {
    const k = this.kernelsFor(xq, batch, options);
    let x = xq;
    let shape: readonly number[] = [batch, ...this.inputShape];
    for (let i = 0; i < this.layers.length; i++) {
      if (supportsLinearSequence(k) && this.layers[i]!.kind === "linear") {
        const [end, run] = this.linearRun(k, i);
        if (run.length > 1) {
          x = k.quantizedLinearSequence(x, run, x.length / run[0]!.inFeatures);
          shape = this.shapeAt(end - 1, batch);
          i = end - 1;
          continue;
        }
      }
      const out = this.shapeAt(i, batch);
      x = this.step(k, i, x, shape, out);
      shape = out;
    }
    return x;
  }

  /** {@link forwardCodes} through the kernels' asynchronous methods where they have them (WebGPU). */
  async forwardCodesAsync(xq: Uint8Array, batch: number, options?: ForwardOptions): Promise<Uint8Array> {
    const k = this.kernelsFor(xq, batch, options);
    let x = xq;
    let shape: readonly number[] = [batch, ...this.inputShape];
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i]!;
      if (supportsAsyncLinearSequence(k) && layer.kind === "linear") {
        const [end, run] = this.linearRun(k, i);
        x = await k.quantizedLinearSequenceAsync(x, run, x.length / run[0]!.inFeatures);
        shape = this.shapeAt(end - 1, batch);
        i = end - 1;
        continue;
      }
      const out = this.shapeAt(i, batch);
      if (layer.kind === "conv2d" && supportsAsync(k)) {
        x = await k.quantizedConv2dAsync(x, layer.kernel, { batch, height: shape[2]!, width: shape[3]! });
      } else {
        x = this.step(k, i, x, shape, out);
      }
      shape = out;
    }
    return x;
  }

  /**
   * Float input [batch, ...inputShape] -> float output [batch, ...outputShape]: quantized once, run on
   * integers, dequantized once.
   */
  forward(x: Float32Array, batch: number, options?: ForwardOptions): Tensor {
    const codes = this.forwardCodes(this.quantizeInput(x, batch), batch, options);
    return { data: this.dequantizeOutput(codes), shape: [batch, ...this.outputShape] };
  }

  /** {@link forward} through the kernels' asynchronous methods where they have them. */
  async forwardAsync(x: Float32Array, batch: number, options?: ForwardOptions): Promise<Tensor> {
    const codes = await this.forwardCodesAsync(this.quantizeInput(x, batch), batch, options);
    return { data: this.dequantizeOutput(codes), shape: [batch, ...this.outputShape] };
  }

  /**
   * The class of each sample: the index of the largest output code (the first on ties), integer only
   * (dequantization is monotone, so it is the argmax of the float output too).
   */
  predict(x: Float32Array, batch: number, options?: ForwardOptions): Int32Array {
    const codes = this.forwardCodes(this.quantizeInput(x, batch), batch, options);
    return argmax(codes, [batch, codes.length / batch]);
  }

  /**
   * Every layer's output codes for one batch (the quantized input first, named "quant"), for reports
   * and debugging. Runs layer by layer (no device chain).
   */
  trace(x: Float32Array, batch: number, options?: ForwardOptions): LayerTrace[] {
    const k = kernelsOf(options);
    let codes = this.quantizeInput(x, batch);
    let shape: readonly number[] = [batch, ...this.inputShape];
    const out: LayerTrace[] = [{ name: "quant", codes, shape, qparams: this.input }];
    for (let i = 0; i < this.layers.length; i++) {
      const next = this.shapeAt(i, batch);
      codes = this.step(k, i, codes, shape, next);
      shape = next;
      out.push({ name: this.layers[i]!.name, codes, shape, qparams: this.activations[i]! });
    }
    return out;
  }

  /** Frees the copies of the layers a device-keeping `Kernels` object holds (GPU memory). */
  releaseDevice(kernels: Kernels): void {
    const layers = this.device.get(kernels);
    if (layers === undefined) return;
    for (const l of layers) if (l !== undefined && "release" in l) l.release();
    this.device.delete(kernels);
  }

  /** The Linear layers (the common case), in order. */
  get linearLayers(): IntegerLinear[] {
    return this.layers.filter((l): l is IntegerLinear => l.kind === "linear");
  }

  /** A printable summary, one line per layer. */
  toString(): string {
    const q = (a: ActivationQParams) =>
      `scale=${a.scale.toPrecision(6)}, zero_point=${a.zeroPoint}, [${a.quantMin}, ${a.quantMax}]`;
    const lines = [`QuantizedModel(input=[${this.inputShape.join(", ")}], ${q(this.input)})`];
    for (const [i, l] of this.layers.entries()) {
      const extra =
        l.kind === "linear"
          ? `in=${l.kernel.inFeatures}, out=${l.kernel.outFeatures}, relu=${l.relu}, weight ${l.weight.bits}-bit ${l.weight.qscheme}`
          : l.kind === "conv2d"
            ? `${l.kernel.inChannels}->${l.kernel.outChannels}, kernel ${l.kernel.kernelH}x${l.kernel.kernelW}, relu=${l.relu}, weight ${l.weight.bits}-bit ${l.weight.qscheme}`
            : "";
      lines.push(`  (${l.name}): ${l.kind}(${extra}${extra ? ", " : ""}${q(this.activations[i]!)})`);
    }
    return lines.join("\n");
  }
}
