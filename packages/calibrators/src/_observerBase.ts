import {
  assertDType,
  assertQScheme,
  calculateQParams,
  calculateQRange,
  DTYPES,
  type DType,
  FLOAT32_EPS,
  isPerChannel,
  type QParams,
  type QParamsOptions,
  type QScheme,
  rangeForBits,
} from "@quantkit/quantizers";
import { assertOptions, normalizeAxis, sizeOf, splitAtAxis } from "@quantkit/tensor";
import type { Observer, ObserverOptions, ObserverRange } from "./observer";

/** The keys of {@link ObserverOptions}, which every observer takes. */
const _OBSERVER_KEYS = ["dtype", "qscheme", "reduceRange", "quantMin", "quantMax", "bits", "eps"] as const;

/** Which qschemes an observer class accepts. */
export type _SchemeKind = "per_tensor" | "per_channel";

/** Prefixes an error from a helper with the observer's name, keeping its type. */
export function _rethrow(name: string, e: unknown): never {
  if (e instanceof RangeError) throw new RangeError(`${name}: ${e.message}`);
  if (e instanceof TypeError) throw new TypeError(`${name}: ${e.message}`);
  throw e;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  return Object.prototype.toString.call(x).slice(8, -1);
}

/**
 * What every observer shares: option checking (at construction, so that a bad option fails early), the
 * batch counter, batch checks (type, shape, empty, NaN/Infinity with the first bad index), the clipping
 * range cache and the step range -> qparams through @quantkit/quantizers' `calculateQParams`.
 */
export abstract class _ObserverBase implements Observer {
  readonly name: string;
  readonly dtype: DType;
  readonly qscheme: QScheme;
  readonly quantMin: number;
  readonly quantMax: number;
  readonly reduceRange: boolean;
  readonly eps: number;
  /** The options handed to `calculateQParams` (custom range before reduceRange, as PyTorch keeps it). */
  protected readonly qparamsOptions: QParamsOptions;
  private nBatches = 0;
  private cachedRange: ObserverRange | undefined;

  constructor(
    name: string,
    options: ObserverOptions,
    defaults: { dtype: DType; qscheme: QScheme; kind: _SchemeKind; keys?: readonly string[] },
  ) {
    this.name = name;
    if (options === null || typeof options !== "object") {
      throw new TypeError(`${name}: options must be an object, got ${describe(options)}`);
    }
    assertOptions(options, [..._OBSERVER_KEYS, ...(defaults.keys ?? [])], `${name} options`);
    const dtype = options.dtype ?? defaults.dtype;
    const qscheme = options.qscheme ?? defaults.qscheme;
    try {
      assertDType(dtype);
      assertQScheme(qscheme);
    } catch (e) {
      _rethrow(name, e);
    }
    if (defaults.kind === "per_tensor" && isPerChannel(qscheme)) {
      throw new TypeError(
        `${name} takes qscheme "per_tensor_affine" or "per_tensor_symmetric", got "${qscheme}" (use the PerChannel observer)`,
      );
    }
    if (defaults.kind === "per_channel" && !isPerChannel(qscheme)) {
      throw new TypeError(
        `${name} takes qscheme "per_channel_affine" or "per_channel_symmetric", got "${qscheme}"`,
      );
    }
    const reduceRange = options.reduceRange ?? false;
    if (typeof reduceRange !== "boolean") {
      throw new TypeError(`${name}: reduceRange must be a boolean, got ${String(reduceRange)}`);
    }
    let { quantMin, quantMax } = options;
    if (options.bits !== undefined) {
      if (quantMin !== undefined || quantMax !== undefined) {
        throw new TypeError(`${name}: give bits or quantMin/quantMax, not both`);
      }
      try {
        ({ quantMin, quantMax } = rangeForBits(options.bits, DTYPES[dtype].signed));
      } catch (e) {
        _rethrow(name, e);
      }
    }
    const eps = options.eps ?? FLOAT32_EPS;
    if (typeof eps !== "number" || !(eps > 0) || !Number.isFinite(eps)) {
      throw new RangeError(`${name}: eps must be positive and finite, got ${String(eps)}`);
    }
    let range: { quantMin: number; quantMax: number };
    try {
      range = calculateQRange(dtype, { quantMin, quantMax, reduceRange });
    } catch (e) {
      _rethrow(name, e);
    }
    this.dtype = dtype;
    this.qscheme = qscheme;
    this.reduceRange = reduceRange;
    this.eps = eps;
    this.quantMin = range.quantMin;
    this.quantMax = range.quantMax;
    this.qparamsOptions = { dtype, qscheme, reduceRange, eps };
    if (quantMin !== undefined && quantMax !== undefined) {
      this.qparamsOptions.quantMin = quantMin;
      this.qparamsOptions.quantMax = quantMax;
    }
  }

  get batches(): number {
    return this.nBatches;
  }

  observe(x: Float32Array, shape?: readonly number[]): Float32Array {
    const s = this.checkBatch(x, shape);
    this.observeBatch(x, s);
    this.nBatches++;
    this.cachedRange = undefined;
    return x;
  }

  range(): ObserverRange {
    if (this.nBatches === 0) {
      throw new RangeError(
        `${this.name}: no values observed yet; call observe(x) before range() or calculateQParams()`,
      );
    }
    if (this.cachedRange === undefined) this.cachedRange = this.computeRange();
    return { minVal: this.cachedRange.minVal.slice(), maxVal: this.cachedRange.maxVal.slice() };
  }

  calculateQParams(): QParams {
    const { minVal, maxVal } = this.range();
    let q: QParams;
    try {
      // calculateQParams rejects a span that overflows float32 (scale Infinity), naming the range.
      q = calculateQParams(minVal, maxVal, this.qparamsOptions);
    } catch (e) {
      _rethrow(this.name, e);
    }
    return this.decorateQParams(q);
  }

  reset(): void {
    this.nBatches = 0;
    this.cachedRange = undefined;
    this.resetState();
  }

  /** Per-channel observers add their axis. */
  protected decorateQParams(q: QParams): QParams {
    return q;
  }

  /** Records one checked batch. Must not change state before it has checked the values (NaN/Infinity). */
  protected abstract observeBatch(x: Float32Array, shape: readonly number[]): void;
  /** The clipping range from the recorded statistics; called only after at least one batch. */
  protected abstract computeRange(): ObserverRange;
  protected abstract resetState(): void;

  /** Throws the error for a non-finite value at x[index] in the batch being observed. */
  protected throwNonFinite(x: Float32Array, index: number): never {
    throw new RangeError(
      `${this.name}: batch ${this.nBatches} (0-based) has x[${index}] = ${x[index]}; observers take finite values only (PyTorch would silently poison its range)`,
    );
  }

  /** Resolves a channel axis for a batch's rank, naming the observer and the option. */
  protected resolveAxis(
    axis: number,
    shape: readonly number[],
    option: string,
  ): { outer: number; channels: number; inner: number; axis: number } {
    let a: number;
    try {
      a = normalizeAxis(axis, shape.length, option);
    } catch (e) {
      _rethrow(`${this.name}: batch ${this.nBatches} (shape [${shape.join(", ")}])`, e);
    }
    return { ...splitAtAxis(shape, a), axis: a };
  }

  private checkBatch(x: Float32Array, shape: readonly number[] | undefined): readonly number[] {
    if (!(x instanceof Float32Array)) {
      throw new TypeError(
        `${this.name}: batch ${this.nBatches}: x must be a Float32Array, got ${describe(x)}`,
      );
    }
    let s: readonly number[] = [x.length];
    if (shape !== undefined) {
      if (!Array.isArray(shape)) {
        throw new TypeError(
          `${this.name}: batch ${this.nBatches}: shape must be an array of integers, got ${describe(shape)}`,
        );
      }
      let n: number;
      try {
        n = sizeOf(shape);
      } catch (e) {
        _rethrow(`${this.name}: batch ${this.nBatches}`, e);
      }
      if (n !== x.length) {
        throw new RangeError(
          `${this.name}: batch ${this.nBatches}: x has ${x.length} elements but shape [${shape.join(", ")}] needs ${n}`,
        );
      }
      s = shape;
    }
    if (x.length === 0) {
      throw new RangeError(
        `${this.name}: batch ${this.nBatches} is empty (x has 0 elements); observe at least one value`,
      );
    }
    return s;
  }
}
