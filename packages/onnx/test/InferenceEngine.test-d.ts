// Type tests, checked by `tsc -p packages/onnx`: ONNX Runtime's objects fit the engine interface this
// package declares, so `ortEngine(ort)` needs no casts and its tensors pass as EngineTensors.
import type * as ort from "onnxruntime-node";
import { expectTypeOf } from "vitest";
import type { EngineFeeds, EngineTensor, InferenceEngine, InferenceSession } from "../src/index";
import { ortEngine } from "../src/index";

// ortEngine(ort) is an InferenceEngine; its sessions are InferenceSessions.
expectTypeOf(ortEngine).returns.toEqualTypeOf<InferenceEngine>();
expectTypeOf<Awaited<ReturnType<InferenceEngine["createSession"]>>>().toEqualTypeOf<InferenceSession>();

// onnxruntime's Tensor is an EngineTensor: its outputs go back in as feeds unchanged.
expectTypeOf<ort.Tensor>().toExtend<EngineTensor>();
expectTypeOf<Record<string, ort.Tensor>>().toExtend<EngineFeeds>();

// A plain object of typed arrays is a feed too.
expectTypeOf<{ x: { type: "float32"; data: Float32Array; dims: number[] } }>().toExtend<EngineFeeds>();
expectTypeOf<{ x: { type: "float32"; data: Float32Array } }>().not.toExtend<EngineFeeds>();

// release is optional (engines without native memory).
expectTypeOf<InferenceSession["release"]>().toEqualTypeOf<(() => Promise<void>) | undefined>();
