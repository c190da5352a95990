import {
  type AnyObserverOptions,
  createObserver,
  type Observer,
  type ObserverName,
} from "@quantkit/calibrators";

/**
 * An observer described by name and options (what `createObserver` of @quantkit/calibrators takes):
 * serialisable, so a qconfig can be printed, saved in a model file's metadata and given on a command
 * line. PyTorch's `MinMaxObserver.with_args(quant_min=0, quant_max=127)` is
 * `{ observer: "minmax", options: { quantMin: 0, quantMax: 127 } }`.
 */
export interface ObserverSpec {
  readonly observer: ObserverName;
  readonly options?: AnyObserverOptions;
}

/** How a qconfig makes observers: a spec, or a factory returning a fresh observer on every call. */
export type ObserverFactory = ObserverSpec | (() => Observer);

/**
 * What to observe and how to quantize (PyTorch's `QConfig(activation=..., weight=...)`): a factory for
 * the observers of activations (the input and the output of every fused layer) and one for the
 * observers of weights. Activations must be unsigned affine codes within 0..255 (uint8 in the integer
 * model), weights signed symmetric codes within -128..127 (int8, zero point 0), per tensor or per
 * output channel: the contract of @quantkit/kernels. `prepare` checks both.
 */
export interface QConfig {
  /** A name for reports and metadata ("defaultQConfig"). */
  readonly name?: string;
  readonly activation: ObserverFactory;
  readonly weight: ObserverFactory;
}

/**
 * A fresh observer from a qconfig entry.
 *
 * @example
 * createObserverFrom({ observer: "minmax", options: { quantMin: 0, quantMax: 127 } }).quantMax // 127
 */
export function createObserverFrom(factory: ObserverFactory, what = "observer"): Observer {
  if (typeof factory === "function") {
    const observer = factory();
    if (observer === null || typeof observer !== "object" || typeof observer.observe !== "function") {
      throw new TypeError(`${what}: the factory must return an Observer, got ${String(observer)}`);
    }
    return observer;
  }
  if (factory === null || typeof factory !== "object" || typeof factory.observer !== "string") {
    throw new TypeError(
      `${what} must be { observer, options } or a function returning an Observer, got ${String(factory)}`,
    );
  }
  return createObserver(factory.observer, factory.options ?? {});
}

/**
 * A one-line description of a qconfig entry, from an observer it makes: name, dtype, integer range,
 * qscheme ("MinMaxObserver quint8 [0, 127] per_tensor_affine").
 *
 * @example
 * describeObserver(defaultQConfig.activation) // "MinMaxObserver quint8 [0, 127] per_tensor_affine"
 */
export function describeObserver(factory: ObserverFactory): string {
  const o = createObserverFrom(factory);
  return `${o.name} ${o.dtype} [${o.quantMin}, ${o.quantMax}] ${o.qscheme}`;
}

/**
 * Checks that a qconfig's observers fit the integer model (RangeError naming the entry otherwise):
 * activations unsigned, per tensor, codes within 0..255; weights symmetric (zero point 0) with codes
 * within -128..127, per tensor or per channel. `prepare` and `prepareQat` call it.
 *
 * @example
 * assertQConfig(defaultQConfig); // fine
 * assertQConfig({ activation: { observer: "minmax", options: { dtype: "qint8" } }, weight: defaultQConfig.weight });
 * // throws RangeError: qconfig.activation must give uint8 codes (within 0..255), got [-128, 127] ...
 */
export function assertQConfig(qconfig: QConfig, where = "qconfig"): void {
  if (qconfig === null || typeof qconfig !== "object")
    throw new TypeError(`${where}: qconfig must be a QConfig object`);
  const a = createObserverFrom(qconfig.activation, `${where}: qconfig.activation`);
  if (a.qscheme !== "per_tensor_affine" && a.qscheme !== "per_tensor_symmetric") {
    throw new RangeError(
      `${where}: qconfig.activation must be per tensor (the integer model has one scale per activation), got ${a.qscheme}`,
    );
  }
  if (a.quantMin < 0 || a.quantMax > 255) {
    throw new RangeError(
      `${where}: qconfig.activation must give uint8 codes (within 0..255), got [${a.quantMin}, ${a.quantMax}] (${a.name} ${a.dtype})`,
    );
  }
  const w = createObserverFrom(qconfig.weight, `${where}: qconfig.weight`);
  if (w.qscheme !== "per_tensor_symmetric" && w.qscheme !== "per_channel_symmetric") {
    throw new RangeError(
      `${where}: qconfig.weight must be symmetric (zero point 0, as the int8 kernels need), got ${w.qscheme} (${w.name})`,
    );
  }
  if (w.quantMin < -128 || w.quantMax > 127 || w.quantMin >= 0) {
    throw new RangeError(
      `${where}: qconfig.weight must give signed int8 codes (within -128..127), got [${w.quantMin}, ${w.quantMax}] (${w.name} ${w.dtype})`,
    );
  }
}
