export { CrossEntropyObserver, type CrossEntropyObserverOptions } from "./CrossEntropyObserver";
export {
  type CompareObserversOptions,
  compareObservers,
  formatObserverComparison,
  type ObserverComparisonRow,
} from "./compareObservers";
export { type AnyObserverOptions, createObserver, OBSERVER_NAMES, type ObserverName } from "./createObserver";
export { EntropyObserver, type EntropyObserverOptions } from "./EntropyObserver";
export { HistogramObserver, type HistogramObserverOptions } from "./HistogramObserver";
export { MinMaxObserver, type MinMaxObserverOptions } from "./MinMaxObserver";
export {
  MovingAverageMinMaxObserver,
  type MovingAverageMinMaxObserverOptions,
} from "./MovingAverageMinMaxObserver";
export {
  MovingAveragePerChannelMinMaxObserver,
  type MovingAveragePerChannelMinMaxObserverOptions,
} from "./MovingAveragePerChannelMinMaxObserver";
export { MseObserver, type MseObserverOptions } from "./MseObserver";
export {
  type MinMaxVsPercentileOptions,
  type MinMaxVsPercentileResult,
  minMaxVsPercentile,
} from "./minMaxVsPercentile";
export type { Observer, ObserverOptions, ObserverRange } from "./observer";
export { PerChannelMinMaxObserver, type PerChannelMinMaxObserverOptions } from "./PerChannelMinMaxObserver";
export { PerChannelMseObserver, type PerChannelMseObserverOptions } from "./PerChannelMseObserver";
export {
  PerChannelPercentileObserver,
  type PerChannelPercentileObserverOptions,
} from "./PerChannelPercentileObserver";
export { PercentileObserver, type PercentileObserverOptions } from "./PercentileObserver";
