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
 * float16 data is its bits, a Uint16Array, both ways and on every runtime (a Float16Array feed is viewed
 * as its bits): where `Float16Array` exists (Node 24, Chromium) ort gives float16 as Float16Array, and
 * onnxruntime-node (1.30, 1.31) rejects a Float16Array feed ("not enough space: expected 8, got 0").
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
            const bits = _float16Bits(t);
            if (bits !== undefined) wrapped[name] = _withData(new Tensor("float16", bits, t.dims), bits);
            else wrapped[name] = (t as object) instanceof Tensor ? t : new Tensor(t.type, t.data, t.dims);
          }
          const out = await session.run(wrapped, outputNames);
          for (const t of Object.values(out)) {
            const bits = _float16Bits(t);
            if (bits !== undefined) _withData(t, bits);
          }
          return out;
        },
        async release() {
          await session.release?.();
        },
      };
    },
  };
}

/**
 * The bits of a float16 tensor in CPU memory as a Uint16Array over the same memory (a Uint16Array as it is,
 * a Float16Array viewed as its bits), or undefined for any other tensor (other types, GPU-resident data,
 * number arrays: those go to the runtime as they are).
 */
function _float16Bits(t: EngineTensor): Uint16Array | undefined {
  if (t.type !== "float16") return undefined;
  const location = (t as { location?: unknown }).location;
  if (location !== undefined && location !== "cpu") return undefined;
  const data = t.data as unknown;
  if (data instanceof Uint16Array) return data;
  const Float16 = (globalThis as { Float16Array?: new (...args: never[]) => object }).Float16Array;
  if (Float16 === undefined || !(data instanceof Float16)) return undefined;
  const view = data as unknown as { buffer: ArrayBuffer; byteOffset: number; length: number };
  return new Uint16Array(view.buffer, view.byteOffset, view.length);
}

/**
 * Makes `t.data` read `bits` (an own property over ort's getter) where it does not already: onnxruntime-common
 * turns float16 Uint16Array data into a Float16Array view wherever `globalThis.Float16Array` exists, and
 * onnxruntime-node's binding reads a Float16Array's byte length as 0 (microsoft/onnxruntime#32323, open);
 * a Uint16Array it reads, and so does onnxruntime-web.
 */
function _withData<T extends EngineTensor>(t: T, bits: Uint16Array): T {
  if (t.data !== bits) Object.defineProperty(t, "data", { value: bits, enumerable: true });
  return t;
}
