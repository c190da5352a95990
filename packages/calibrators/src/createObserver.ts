import { isPerChannel, type QScheme } from "@quantkit/quantizers";
import { CrossEntropyObserver, type CrossEntropyObserverOptions } from "./CrossEntropyObserver";
import { EntropyObserver, type EntropyObserverOptions } from "./EntropyObserver";
import { HistogramObserver, type HistogramObserverOptions } from "./HistogramObserver";
import { MinMaxObserver } from "./MinMaxObserver";
import {
  MovingAverageMinMaxObserver,
  type MovingAverageMinMaxObserverOptions,
} from "./MovingAverageMinMaxObserver";
import {
  MovingAveragePerChannelMinMaxObserver,
  type MovingAveragePerChannelMinMaxObserverOptions,
} from "./MovingAveragePerChannelMinMaxObserver";
import { MseObserver, type MseObserverOptions } from "./MseObserver";
import type { Observer } from "./observer";
import { PerChannelMinMaxObserver, type PerChannelMinMaxObserverOptions } from "./PerChannelMinMaxObserver";
import { PerChannelMseObserver, type PerChannelMseObserverOptions } from "./PerChannelMseObserver";
import {
  PerChannelPercentileObserver,
  type PerChannelPercentileObserverOptions,
} from "./PerChannelPercentileObserver";
import { PercentileObserver, type PercentileObserverOptions } from "./PercentileObserver";

/** The observer names {@link createObserver} knows, for CLIs and configs. */
export const OBSERVER_NAMES = [
  "minmax",
  "moving_average_minmax",
  "per_channel_minmax",
  "moving_average_per_channel_minmax",
  "histogram",
  "percentile",
  "per_channel_percentile",
  "mse",
  "per_channel_mse",
  "entropy",
  "crossentropy",
] as const;

/** A name from {@link OBSERVER_NAMES}. */
export type ObserverName = (typeof OBSERVER_NAMES)[number];

/** Every option any observer takes; each observer reads the ones it knows. */
export type AnyObserverOptions = MovingAveragePerChannelMinMaxObserverOptions &
  HistogramObserverOptions &
  PercentileObserverOptions &
  PerChannelPercentileObserverOptions &
  MseObserverOptions &
  PerChannelMseObserverOptions &
  EntropyObserverOptions &
  CrossEntropyObserverOptions &
  MovingAverageMinMaxObserverOptions &
  PerChannelMinMaxObserverOptions;

/**
 * An observer by name, for the PTQ package and the command line. "minmax", "moving_average_minmax",
 * "percentile" and "mse" give their per-channel class when `options.qscheme` is a per_channel one.
 *
 * @example
 * createObserver("percentile", { percentile: 99.9 }).name;                 // "PercentileObserver"
 * createObserver("minmax", { qscheme: "per_channel_symmetric", dtype: "qint8" }).name; // "PerChannelMinMaxObserver"
 */
export function createObserver(name: ObserverName, options: AnyObserverOptions = {}): Observer {
  const perChannel = typeof options.qscheme === "string" && isPerChannel(options.qscheme as QScheme);
  switch (name) {
    case "minmax":
      return perChannel ? new PerChannelMinMaxObserver(options) : new MinMaxObserver(options);
    case "moving_average_minmax":
      return perChannel
        ? new MovingAveragePerChannelMinMaxObserver(options)
        : new MovingAverageMinMaxObserver(options);
    case "per_channel_minmax":
      return new PerChannelMinMaxObserver(options);
    case "moving_average_per_channel_minmax":
      return new MovingAveragePerChannelMinMaxObserver(options);
    case "histogram":
      return new HistogramObserver(options);
    case "percentile":
      return perChannel ? new PerChannelPercentileObserver(options) : new PercentileObserver(options);
    case "per_channel_percentile":
      return new PerChannelPercentileObserver(options);
    case "mse":
      return perChannel ? new PerChannelMseObserver(options) : new MseObserver(options);
    case "per_channel_mse":
      return new PerChannelMseObserver(options);
    case "entropy":
      return new EntropyObserver(options);
    case "crossentropy":
      return new CrossEntropyObserver(options);
    default:
      throw new TypeError(
        `observer name must be one of ${OBSERVER_NAMES.join(", ")}; got ${JSON.stringify(name)}`,
      );
  }
}
