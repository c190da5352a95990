/** The page's handle on the ONNX worker, started when the section first needs it. */
import { ComputeClient } from "../worker/client";
import type { OnnxJobs } from "./jobs";

let client: ComputeClient<OnnxJobs> | undefined;

export function onnxWorker(): ComputeClient<OnnxJobs> {
  client ??= new ComputeClient<OnnxJobs>(
    new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "quantkit-onnx" }),
  );
  return client;
}
