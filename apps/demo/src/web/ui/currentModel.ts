/**
 * The float model the worker holds now, as every section sees it: one shared value, refreshed after
 * any job that may replace the model (training, loading a checkpoint, making the missing models) and
 * when the learner navigates. A derived result (PTQ, QAT, a layer's weights, section 10's models)
 * remembers the version it was made from; a section compares it with this one to mark itself stale.
 */
import { useEffect, useState } from "preact/hooks";
import { compute } from "../compute";
import type { ModelInfo } from "../worker/ptq";

let current: ModelInfo | undefined;
const listeners = new Set<(m: ModelInfo) => void>();

/** Jobs after which the float model may have changed. */
export const MODEL_JOBS: ReadonlySet<string> = new Set([
  "trainMlp",
  "loadCheckpoint",
  "layerWeights",
  "prepareModels",
]);

/** Asks the worker which float model it holds and tells every section. */
export async function refreshCurrentModel(): Promise<ModelInfo> {
  const info = await compute().run("modelInfo", {});
  if (current?.version !== info.version || current?.accuracy !== info.accuracy) {
    current = info;
    for (const l of listeners) l(info);
  }
  return info;
}

/** The current float model (undefined until the worker has answered once). */
export function useCurrentModel(): ModelInfo | undefined {
  const [model, setModel] = useState<ModelInfo | undefined>(current);
  useEffect(() => {
    listeners.add(setModel);
    const refresh = () => void refreshCurrentModel().catch(() => undefined);
    refresh();
    window.addEventListener("hashchange", refresh);
    return () => {
      listeners.delete(setModel);
      window.removeEventListener("hashchange", refresh);
    };
  }, []);
  return model;
}

/** A short name for a float model: "model #2 (7,996 digits × 1 epoch, 90.2%)". */
export function describeModel(
  m: ModelInfo,
  formatInt: (n: number) => string,
  formatPercent: (f: number) => string,
): string {
  const how =
    m.source === "loaded checkpoint"
      ? "loaded checkpoint"
      : `${formatInt(m.trainSize ?? 0)} digits × ${m.epochs} epoch${m.epochs === 1 ? "" : "s"}`;
  return `model #${m.version} (${how}${m.accuracy !== null ? `, ${formatPercent(m.accuracy)}` : ""})`;
}

/**
 * A result made from float model `version` is out of date when the page now holds another model
 * (false while either version is unknown).
 */
export function isStale(version: number | null, model: ModelInfo | undefined): boolean {
  return (
    version !== null && model?.version !== null && model?.version !== undefined && version !== model.version
  );
}
