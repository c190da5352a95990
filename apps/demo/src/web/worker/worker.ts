/// <reference lib="webworker" />
/**
 * The compute worker: training, calibration over the data set and GEMM timing run here, so that the
 * page never freezes. It speaks the protocol of ./protocol.ts.
 */
import { createDispatcher } from "./dispatcher";
import { handlers } from "./handlers";
import type { FromWorker, ToWorker } from "./protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const dispatch = createDispatcher(handlers, (message: FromWorker) => scope.postMessage(message));
scope.addEventListener("message", (event: MessageEvent<ToWorker>) => dispatch(event.data));
