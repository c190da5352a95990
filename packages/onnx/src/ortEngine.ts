import { _checkOptions, _show } from "./_errors";
import type {
  EngineFeeds,
  EngineTensor,
  InferenceEngine,
  InferenceSession,
  SessionHints,
} from "./InferenceEngine";

/** The part of ONNX Runtime's JavaScript namespace (`onnxruntime-node`, `onnxruntime-web`) the adapter uses. */
export interface OrtNamespace {
  /** `InferenceSession.create(bytes, options)`; typed loosely so that every ort version's overloads fit. */
  InferenceSession: { create: (...args: never[]) => Promise<unknown> };
  /** `new Tensor(type, data, dims)` */
  Tensor: new (
    ...args: never[]
  ) => unknown;
}

/** The part of an ONNX Runtime session the adapter uses. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(
    feeds: Record<string, EngineTensor>,
    fetches?: readonly string[],
  ): Promise<Record<string, EngineTensor>>;
  release?(): Promise<void>;
}

/** Options of {@link ortEngine}. */
export interface OrtEngineOptions {
  /** Passed to `InferenceSession.create` (e.g. `{ intraOpNumThreads: 1 }`, `{ executionProviders: ["wasm"] }`). */
  sessionOptions?: object;
}

/**
 * An {@link InferenceEngine} over ONNX Runtime's JavaScript API, structurally: pass the `ort` namespace
 * you imported (onnxruntime-node in Node, onnxruntime-web in a browser). This package imports no runtime.
 * Feeds are wrapped in `ort.Tensor` (the runtime checks the class); outputs come back as ort's tensors.
 * Calibration sessions (`hints.calibration`) get `enableMemPattern: false` unless `sessionOptions` says
 * otherwise.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * import { ortEngine } from "@quantkit/onnx";
 * const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
 * const session = await engine.createSession(modelBytes);
 * session.inputNames; // e.g. ["input", "state", "sr"]
 * ```
 */
export function ortEngine(ort: OrtNamespace, options?: OrtEngineOptions): InferenceEngine {
  _checkOptions("ortEngine", options, ["sessionOptions"]);
  if (ort === null || typeof ort !== "object" || typeof ort.InferenceSession?.create !== "function") {
    throw new TypeError(
      `ortEngine: ort must be ONNX Runtime's namespace (with InferenceSession.create), got ${_show(ort)}`,
    );
  }
  if (typeof ort.Tensor !== "function") {
    throw new TypeError("ortEngine: ort.Tensor must be ONNX Runtime's Tensor class");
  }
  const sessionOptions = options?.sessionOptions;
  return {
    async createSession(model: Uint8Array, hints?: SessionHints): Promise<InferenceSession> {
      const create = ort.InferenceSession.create as (m: Uint8Array, o?: object) => Promise<OrtSession>;
      // Calibration runs each sample once, often in a shape of its own: a memory pattern cached per
      // shape only grows the process (PP-OCRv4 recogniser int8, 64 lines: peak 246 -> 180 MB).
      const options = hints?.calibration ? { enableMemPattern: false, ...sessionOptions } : sessionOptions;
      const session = await create.call(ort.InferenceSession, model, options);
      const Tensor = ort.Tensor as unknown as new (
        type: string,
        data: unknown,
        dims: readonly number[],
      ) => EngineTensor;
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds: EngineFeeds, outputNames?: readonly string[]) {
          const wrapped: Record<string, EngineTensor> = {};
          for (const [name, t] of Object.entries(feeds)) {
            wrapped[name] = (t as object) instanceof Tensor ? t : new Tensor(t.type, t.data, t.dims);
          }
          return session.run(wrapped, outputNames);
        },
        async release() {
          await session.release?.();
        },
      };
    },
  };
}
