/**
 * The messages between the page and the compute worker. The page asks for a named job with an input;
 * the worker answers with any number of progress messages, then one result or one error. A job can be
 * cancelled: the worker notices at its next checkpoint and answers with a `CancelledError`.
 */

/** One job's types: what goes in, what each progress message carries, what comes out. */
export interface JobSpec<I = unknown, P = unknown, O = unknown> {
  input: I;
  progress: P;
  output: O;
}

/** The page's messages to the worker. */
export type ToWorker =
  | { type: "run"; id: number; job: string; input: unknown }
  | { type: "cancel"; id: number };

/** The worker's messages to the page. */
export type FromWorker =
  | { type: "progress"; id: number; data: unknown }
  | { type: "result"; id: number; data: unknown }
  | { type: "error"; id: number; name: string; message: string };

/** The error a cancelled job ends with, on both sides. */
export class CancelledError extends Error {
  constructor(message = "the job was cancelled") {
    super(message);
    this.name = "CancelledError";
  }
}

/** An error thrown inside the worker, rebuilt on the page with its name and message. */
export class WorkerJobError extends Error {
  readonly job: string;
  constructor(job: string, name: string, message: string) {
    super(`${job}: ${message}`);
    this.name = name;
    this.job = job;
  }
}
