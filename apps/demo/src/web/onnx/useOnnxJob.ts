/** A hook that runs one job of the ONNX worker at a time: running flag, progress, error, cancel. */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { onnxWorker } from "./client";
import type { OnnxJobs } from "./jobs";

/** One worker job at a time per kind: running flag, progress, error, cancel. */
export function useOnnxJob<K extends keyof OnnxJobs & string>(job: K) {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<OnnxJobs[K]["progress"] | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);
  const run = useCallback(
    async (input: OnnxJobs[K]["input"]): Promise<OnnxJobs[K]["output"] | undefined> => {
      controller.current?.abort();
      const c = new AbortController();
      controller.current = c;
      setRunning(true);
      setError(undefined);
      setProgress(undefined);
      try {
        return await onnxWorker().run(job, input, {
          signal: c.signal,
          onProgress: (p) => setProgress(() => p),
        });
      } catch (e) {
        if ((e as Error).name !== "CancelledError") setError(e as Error);
        return undefined;
      } finally {
        if (controller.current === c) {
          setRunning(false);
          controller.current = null;
        }
      }
    },
    [job],
  );
  useEffect(() => () => controller.current?.abort(), []);
  return { running, progress, error, run, cancel: () => controller.current?.abort() };
}
