import { CancelledError, type FromWorker, type ToWorker } from "./protocol";

/** What a job handler gets besides its input. */
export interface JobContext<P> {
  /** Sends a progress message to the page (dropped once the job is cancelled). */
  progress(data: P): void;
  /** True once the page asked to cancel this job. */
  readonly cancelled: boolean;
  /** Aborted when the page cancels this job (for APIs that take a signal, such as nn's `fit`). */
  readonly signal: AbortSignal;
  /**
   * Lets the worker's event loop run, so that a cancel message can arrive, and throws a
   * CancelledError when one did. Cheap to call often: it yields only when `yieldEveryMs` have passed
   * since the last yield (a setTimeout(0) costs about 1-4 ms in Chromium's workers, measured; a
   * training step costs far less, so yielding every step would double the run time).
   */
  checkpoint(): Promise<void>;
}

/** A job: input and context in, output (or a promise of it) out. */
// biome-ignore lint/suspicious/noExplicitAny: handlers are typed where they are defined; the table is keyed by name.
export type JobHandler<I = any, P = any, O = any> = (input: I, ctx: JobContext<P>) => O | Promise<O>;

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  /** Minimum time between two yields of `checkpoint()`, in ms. Default 30. */
  yieldEveryMs?: number;
  /** The clock, in ms. Default `performance.now`. */
  now?: () => number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The worker side of the protocol: returns the function to call with each message from the page.
 * Each run gets its own context; errors become error messages naming the error class.
 *
 * @example
 * const dispatch = createDispatcher({ add: (x: { a: number; b: number }) => x.a + x.b }, (m) => self.postMessage(m));
 * self.addEventListener("message", (e) => dispatch(e.data));
 */
export function createDispatcher(
  handlers: Readonly<Record<string, JobHandler>>,
  post: (message: FromWorker) => void,
  options: DispatcherOptions = {},
): (message: ToWorker) => void {
  const yieldEveryMs = options.yieldEveryMs ?? 30;
  const now = options.now ?? (() => performance.now());
  const running = new Map<number, { cancelled: boolean; controller: AbortController }>();

  return (message) => {
    if (message.type === "cancel") {
      const state = running.get(message.id);
      if (state) {
        state.cancelled = true;
        state.controller.abort(new CancelledError());
      }
      return;
    }
    const { id, job, input } = message;
    const handler = Object.hasOwn(handlers, job) ? handlers[job] : undefined;
    if (!handler) {
      post({
        type: "error",
        id,
        name: "TypeError",
        message: `unknown job ${JSON.stringify(job)}; known jobs: ${Object.keys(handlers).join(", ")}`,
      });
      return;
    }
    const state = { cancelled: false, controller: new AbortController() };
    running.set(id, state);
    let lastYield = now();
    const ctx: JobContext<unknown> = {
      progress(data) {
        if (!state.cancelled) post({ type: "progress", id, data });
      },
      get cancelled() {
        return state.cancelled;
      },
      signal: state.controller.signal,
      async checkpoint() {
        if (now() - lastYield >= yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = now();
        }
        if (state.cancelled) throw new CancelledError();
      },
    };
    Promise.resolve()
      .then(() => handler(input, ctx))
      .then(
        (data) => post({ type: "result", id, data }),
        (error: unknown) => {
          const e = error instanceof Error ? error : new Error(String(error));
          post({ type: "error", id, name: e.name, message: e.message });
        },
      )
      .finally(() => running.delete(id));
  };
}
