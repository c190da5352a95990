/**
 * The page's handle on the compute worker, started on first use (a section that never runs a job
 * never loads the worker's code).
 */
import { ComputeClient } from "./worker/client";
import type { Jobs } from "./worker/jobs";

let client: ComputeClient<Jobs> | undefined;

/** The shared compute worker's client. */
export function compute(): ComputeClient<Jobs> {
  client ??= new ComputeClient<Jobs>(
    new Worker(new URL("./worker/worker.ts", import.meta.url), { type: "module", name: "quantkit-compute" }),
  );
  return client;
}
