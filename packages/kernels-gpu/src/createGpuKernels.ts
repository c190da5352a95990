import {
  type AsyncLinearSequenceKernels,
  type Int8Like,
  type Kernels,
  layerChecksum,
  type MatmulF32Options,
  type MatmulIntegerOptions,
  type PreparedLayerKernels,
  type PreparedLinearLayer,
  type QuantizedConv2dLayer,
  type QuantizedLinearLayer,
  type RequantizeParams,
} from "@quantkit/kernels";
import { _conv2dPlan } from "./_conv2dPlan";
import { _Device, type _Plan, _runAsync, _runSync } from "./_device";
import { type _DeviceLinear, _linearSequencePlan, _releaseLinear, _uploadLinearPlan } from "./_linearPlan";
import { _matmulF32Plan } from "./_matmulF32Plan";
import { _matmulIntegerPlan } from "./_matmulIntegerPlan";
import { _requantizePlan } from "./_requantizePlan";
import type { GpuBackend, GpuBackendRequest } from "./backend";

/** Options of {@link createGpuKernels}. */
export interface GpuKernelsOptions {
  /**
   * The gpu.js backend to run on: 'headlessgl' (Node, needs an X display), 'webgl2', 'webgl',
   * 'webgpu' (browser; asynchronous: use the `*Async` methods), 'webasm', 'cpu', or 'gpu' (default)
   * for the best synchronous one available (headlessgl, webgl2, webgl, webasm, cpu in that order).
   */
  backend?: GpuBackendRequest;
  /**
   * When the backend asked for is not available (or gpu.js degrades a kernel to another backend at
   * run time), run on the best available one instead of throwing. Default false: a silent fallback
   * is a wrong answer to "which backend ran", so it is an error unless allowed.
   */
  allowFallback?: boolean;
}

/** Parameters of {@link Kernels.requantize} (@quantkit/kernels' type, re-exported). */
export type { RequantizeParams } from "@quantkit/kernels";

/**
 * A quantized Linear layer whose weight and requantization parameters live on the device (made by
 * {@link GpuKernels.prepareLinear}). It is a {@link QuantizedLinearLayer} (same fields, same arrays),
 * so it goes wherever a layer goes; the kernels that made it skip the weight upload. The device copy
 * is a snapshot: change the layer's arrays and prepare it again.
 */
export interface GpuLinearLayer extends PreparedLinearLayer {
  /** The backend whose memory holds it. */
  readonly backend: GpuBackend;
  /** Frees the device copy; the layer then behaves as a plain one (uploaded per call). */
  release(): void;
}

/**
 * @quantkit/kernels' {@link Kernels} through gpu.js, bit-exact with the CPU kernels, plus the
 * contract's extensions a GPU wants: layers kept on the device ({@link PreparedLayerKernels}), a
 * chain of Linear layers run with one upload and one readback, and an asynchronous twin of every
 * method, the only kind WebGPU can run ({@link AsyncLinearSequenceKernels}).
 */
export interface GpuKernels extends AsyncLinearSequenceKernels, PreparedLayerKernels {
  /** The backend gpu.js actually runs: 'headlessgl', 'webgl2', 'webgl', 'webgpu', 'webasm' or 'cpu'. */
  readonly backend: GpuBackend;
  /** What was asked for. */
  readonly requestedBackend: GpuBackendRequest;
  /** Uploads a Linear layer's weight and parameters once, for repeated calls (the contract's prepareLinear). */
  prepareLinear(layer: QuantizedLinearLayer): GpuLinearLayer;
  /** {@link prepareLinear}, asynchronously (WebGPU). */
  prepareLinearAsync(layer: QuantizedLinearLayer): Promise<GpuLinearLayer>;
  /** Frees every kernel, texture and the GL context (or WebGPU device); the object is unusable after. */
  destroy(): Promise<void>;
}

/**
 * Creates the GPU kernels: the @quantkit/kernels contract (integer GEMM, requantization, quantized
 * Linear and conv2d, fp32 GEMM) as gpu.js kernels that compute in float32 yet give the CPU
 * kernels' int32 and uint8 results bit for bit, whatever k (up to 2^18) and whatever the values.
 * Throws when the backend asked for is not available, unless `allowFallback`.
 *
 * @example
 * const gpu = createGpuKernels({ backend: "cpu" }); // "headlessgl" in Node under xvfb-run
 * gpu.backend; // "cpu"
 * gpu.matmulInteger(new Uint8Array([1, 2, 3, 4]), new Int8Array([1, -1, 2, 0]), { m: 2, k: 2, n: 2 });
 * // Int32Array [5, -1, 11, -3]
 * await gpu.destroy();
 */
export function createGpuKernels(options: GpuKernelsOptions = {}): GpuKernels {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  return new GpuKernelsImpl(new _Device(options.backend ?? "gpu", options.allowFallback === true));
}

class GpuKernelsImpl implements GpuKernels {
  private readonly dev: _Device;
  private readonly onDevice = new WeakMap<object, _DeviceLinear>();

  constructor(dev: _Device) {
    this.dev = dev;
  }

  get backend(): GpuBackend {
    return this.dev.backend;
  }

  get requestedBackend(): GpuBackendRequest {
    return this.dev.requested;
  }

  private sync<T>(plan: _Plan<T>): T {
    return _runSync(this.dev, plan);
  }

  private async<T>(plan: _Plan<T>): Promise<T> {
    return _runAsync(this.dev, plan);
  }

  /** The device entries standing for `layers` (prepared ones swapped for their device record). */
  private entries(
    layers: readonly (QuantizedLinearLayer | GpuLinearLayer)[],
  ): (QuantizedLinearLayer | _DeviceLinear)[] {
    if (!Array.isArray(layers)) throw new TypeError("layers must be an array of quantized Linear layers");
    return layers.map((l, i) => {
      const d = l !== null && typeof l === "object" ? this.onDevice.get(l) : undefined;
      if (d === undefined) return l;
      // What is on the device was copied at prepareLinear: an in-place edit since would be ignored.
      if (layerChecksum(d.layer) !== d.checksum) {
        throw new RangeError(
          `layers[${i}]: the prepared layer's weight, bias, multiplier or shift changed in place after prepareLinear; the device holds the old values: release() it and prepare it again`,
        );
      }
      return d;
    });
  }

  private *prepare(layer: QuantizedLinearLayer): _Plan<GpuLinearLayer> {
    const d = yield* _uploadLinearPlan(this.dev, layer, "layer");
    const dev = this.dev;
    const map = this.onDevice;
    const prepared: GpuLinearLayer = Object.freeze({
      inFeatures: layer.inFeatures,
      outFeatures: layer.outFeatures,
      weight: layer.weight,
      inputZeroPoint: layer.inputZeroPoint,
      outputZeroPoint: layer.outputZeroPoint,
      bias: layer.bias,
      multiplier: layer.multiplier,
      shift: layer.shift,
      outputMin: layer.outputMin,
      outputMax: layer.outputMax,
      backend: dev.backend,
      release(): void {
        if (map.delete(prepared)) _releaseLinear(dev, d);
      },
    });
    this.onDevice.set(prepared, d);
    return prepared;
  }

  private linearPlan(
    x: Uint8Array,
    layers: readonly (QuantizedLinearLayer | GpuLinearLayer)[],
    batch: number,
    out?: Uint8Array,
  ): _Plan<Uint8Array> {
    const entries = this.entries(layers);
    const known = new Set(entries.filter((e, i) => e !== layers[i]));
    return _linearSequencePlan(this.dev, x, entries, batch, out, (l): l is _DeviceLinear => known.has(l));
  }

  matmulInteger(a: Int8Like, b: Int8Like, options: MatmulIntegerOptions): Int32Array {
    return this.sync(_matmulIntegerPlan(this.dev, a, b, options));
  }

  matmulF32(a: Float32Array, b: Float32Array, options: MatmulF32Options): Float32Array {
    return this.sync(_matmulF32Plan(this.dev, a, b, options));
  }

  quantizedLinear(x: Uint8Array, layer: QuantizedLinearLayer, batch: number, out?: Uint8Array): Uint8Array {
    return this.sync(this.linearPlan(x, [layer], batch, out));
  }

  quantizedConv2d(
    x: Uint8Array,
    layer: QuantizedConv2dLayer,
    input: { batch: number; height: number; width: number },
    out?: Uint8Array,
  ): Uint8Array {
    return this.sync(_conv2dPlan(this.dev, x, layer, input, out));
  }

  requantize(
    acc: Int32Array,
    params: RequantizeParams,
    out?: Uint8Array | Int8Array,
  ): Uint8Array | Int8Array {
    return this.sync(_requantizePlan(this.dev, acc, params, out));
  }

  prepareLinear(layer: QuantizedLinearLayer): GpuLinearLayer {
    return this.sync(this.prepare(layer));
  }

  quantizedLinearSequence(
    x: Uint8Array,
    layers: readonly (QuantizedLinearLayer | GpuLinearLayer)[],
    batch: number,
    out?: Uint8Array,
  ): Uint8Array {
    return this.sync(this.linearPlan(x, layers, batch, out));
  }

  matmulIntegerAsync(a: Int8Like, b: Int8Like, options: MatmulIntegerOptions): Promise<Int32Array> {
    return this.async(_matmulIntegerPlan(this.dev, a, b, options));
  }

  matmulF32Async(a: Float32Array, b: Float32Array, options: MatmulF32Options): Promise<Float32Array> {
    return this.async(_matmulF32Plan(this.dev, a, b, options));
  }

  quantizedLinearAsync(
    x: Uint8Array,
    layer: QuantizedLinearLayer,
    batch: number,
    out?: Uint8Array,
  ): Promise<Uint8Array> {
    return this.async(this.linearPlan(x, [layer], batch, out));
  }

  quantizedConv2dAsync(
    x: Uint8Array,
    layer: QuantizedConv2dLayer,
    input: { batch: number; height: number; width: number },
    out?: Uint8Array,
  ): Promise<Uint8Array> {
    return this.async(_conv2dPlan(this.dev, x, layer, input, out));
  }

  requantizeAsync(
    acc: Int32Array,
    params: RequantizeParams,
    out?: Uint8Array | Int8Array,
  ): Promise<Uint8Array | Int8Array> {
    return this.async(_requantizePlan(this.dev, acc, params, out));
  }

  prepareLinearAsync(layer: QuantizedLinearLayer): Promise<GpuLinearLayer> {
    return this.async(this.prepare(layer));
  }

  quantizedLinearSequenceAsync(
    x: Uint8Array,
    layers: readonly (QuantizedLinearLayer | GpuLinearLayer)[],
    batch: number,
    out?: Uint8Array,
  ): Promise<Uint8Array> {
    return this.async(this.linearPlan(x, layers, batch, out));
  }

  destroy(): Promise<void> {
    return this.dev.destroy();
  }
}
