/**
 * A hook that runs one worker job at a time for a section: its progress, result, error, and a
 * cancel that stops it (a new run cancels the one before).
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { compute } from "../compute";
import type { Jobs } from "../worker/jobs";
import { MODEL_JOBS, refreshCurrentModel } from "./currentModel";

export interface JobState<K extends keyof Jobs> {
  running: boolean;
  progress: Jobs[K]["progress"] | undefined;
  result: Jobs[K]["output"] | undefined;
  error: Error | undefined;
  /** Wall time of the last finished run, in ms. */
  ms: number | undefined;
  /** The last run was stopped (cancelled) before it finished; `result` is still the one before. */
  stopped: boolean;
  run: (input: Jobs[K]["input"]) => Promise<Jobs[K]["output"] | undefined>;
  cancel: () => void;
}

export function useJob<K extends keyof Jobs & string>(job: K): JobState<K> {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Jobs[K]["progress"] | undefined>(undefined);
  const [result, setResult] = useState<Jobs[K]["output"] | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [ms, setMs] = useState<number | undefined>(undefined);
  const [stopped, setStopped] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const cancel = useCallback(() => controller.current?.abort(), []);

  const run = useCallback(
    async (input: Jobs[K]["input"]) => {
      controller.current?.abort();
      const c = new AbortController();
      controller.current = c;
      setRunning(true);
      setStopped(false);
      setError(undefined);
      setProgress(undefined);
      const t0 = performance.now();
      try {
        const out = await compute().run(job, input, {
          signal: c.signal,
          onProgress: (p) => setProgress(() => p),
        });
        if (controller.current === c) {
          setResult(() => out);
          setMs(performance.now() - t0);
        }
        if (MODEL_JOBS.has(job)) await refreshCurrentModel();
        return out;
      } catch (e) {
        if (controller.current === c) {
          if ((e as Error).name === "CancelledError") setStopped(c.signal.aborted);
          else setError(e as Error);
        }
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

  return { running, progress, result, error, ms, stopped, run, cancel };
}
