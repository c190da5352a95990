/**
 * A tensor as an inference engine takes and gives it: ONNX Runtime's `Tensor` has this shape, so its
 * tensors pass as they are. `type` is ONNX Runtime's name ("float32", "int64", "uint8", "bool"...).
 */
export interface EngineTensor {
  readonly type: string;
  readonly data:
    | Float32Array
    | Float64Array
    | Int8Array
    | Uint8Array
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | BigInt64Array
    | BigUint64Array
    | readonly string[]
    | ArrayLike<number>;
  readonly dims: readonly number[];
}

/** Named tensors: the feeds of one run, or what it returned. */
export type EngineFeeds = Readonly<Record<string, EngineTensor>>;

/** One loaded model. */
export interface InferenceSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model on `feeds`; returns `outputNames` (default: every output). */
  run(feeds: EngineFeeds, outputNames?: readonly string[]): Promise<Record<string, EngineTensor>>;
  /** Frees the session's native memory, where the engine has any. */
  release?(): Promise<void>;
}

/**
 * What this package needs from a runtime to run a model (calibration, the accuracy report): create a
 * session from model bytes. The package imports no runtime; the caller passes one in, e.g.
 * `ortEngine(ort)` with `import * as ort from "onnxruntime-node"` (or "onnxruntime-web" in a browser).
 *
 * @example
 * ```ts
 * import type { InferenceEngine } from "@quantkit/onnx";
 * // a stand-in engine that returns its input as "y" (tests, or a runtime of your own)
 * const echo: InferenceEngine = {
 *   async createSession() {
 *     return { inputNames: ["x"], outputNames: ["y"], run: async (feeds) => ({ y: feeds.x! }) };
 *   },
 * };
 * const session = await echo.createSession(new Uint8Array());
 * (await session.run({ x: { type: "float32", data: Float32Array.of(1), dims: [1] } })).y!.dims; // [1]
 * ```
 */
export interface InferenceEngine {
  /** A session of `model`; `hints` say what it is for (an engine may ignore them). */
  createSession(model: Uint8Array, hints?: SessionHints): Promise<InferenceSession>;
}

/**
 * What a session is for, so that an engine can choose its settings: `calibration` sessions (made by
 * {@link calibrate}) run a copy of the model that returns many inner tensors or their min and max, once
 * per sample, on inputs whose shapes often differ from sample to sample.
 */
export interface SessionHints {
  calibration?: boolean;
}
