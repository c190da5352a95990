import { CancelledError, type FromWorker, type JobSpec, type ToWorker, WorkerJobError } from "./protocol";

/** What the client needs of a Worker (a real one, or an in-process stand-in in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  addEventListener(type: "message", listener: (event: { data: FromWorker }) => void): void;
  addEventListener(type: "error", listener: (event: { message?: string }) => void): void;
}

/** Options of one {@link ComputeClient.run}. */
export interface RunOptions<P> {
  /** Called with each progress message, in order. */
  onProgress?: (progress: P) => void;
  /** Aborting it cancels the job; the promise then rejects with a CancelledError. */
  signal?: AbortSignal;
}

interface Pending {
  job: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress: ((progress: unknown) => void) | undefined;
}

/**
 * The page side of the protocol: `run` posts a job and returns a promise of its output, with typed
 * progress callbacks. A worker that fails to load or crashes rejects every pending job.
 *
 * @example
 * const client = new ComputeClient<Jobs>(new Worker(new URL("./worker.ts", import.meta.url), { type: "module" }));
 * const out = await client.run("trainMlp", { epochs: 1 }, { onProgress: (p) => console.log(p.loss) });
 */
export class ComputeClient<J extends { [K in keyof J]: JobSpec }> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private broken: Error | undefined;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener("message", (event) => this.receive(event.data));
    worker.addEventListener("error", (event) => {
      this.broken = new Error(`the compute worker failed: ${event.message ?? "it could not be loaded"}`);
      for (const p of this.pending.values()) p.reject(this.broken);
      this.pending.clear();
    });
  }

  /** Jobs posted and not yet answered. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Runs `job` in the worker. */
  run<K extends keyof J & string>(
    job: K,
    input: J[K]["input"],
    options: RunOptions<J[K]["progress"]> = {},
  ): Promise<J[K]["output"]> {
    if (this.broken) return Promise.reject(this.broken);
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    return new Promise<J[K]["output"]>((resolve, reject) => {
      this.pending.set(id, {
        job,
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress: onProgress as ((progress: unknown) => void) | undefined,
      });
      signal?.addEventListener("abort", () => this.worker.postMessage({ type: "cancel", id }), {
        once: true,
      });
      this.worker.postMessage({ type: "run", id, job, input });
    });
  }

  private receive(message: FromWorker): void {
    const p = this.pending.get(message.id);
    if (!p) return; // a late message of a job already answered
    if (message.type === "progress") {
      p.onProgress?.(message.data);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === "result") p.resolve(message.data);
    else if (message.name === "CancelledError") p.reject(new CancelledError(message.message));
    else p.reject(new WorkerJobError(p.job, message.name, message.message));
  }
}
