import * as ort from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import {
  DataType,
  type EngineTensor,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  ortEngine,
  writeModel,
} from "../src/index";

const addModel = () =>
  writeModel(
    makeModel(
      makeGraph({
        name: "add",
        node: [makeNode("Add", ["x", "b"], ["y"]), makeNode("Neg", ["y"], ["z"])],
        input: [makeValueInfo("x", DataType.FLOAT, [3])],
        output: [makeValueInfo("y", DataType.FLOAT, [3]), makeValueInfo("z", DataType.FLOAT, [3])],
        initializer: [makeTensor("b", DataType.FLOAT, [3], [1, 2, 3])],
      }),
      { opsets: { "": 17 } },
    ),
  );

/** x (float16) -> Identity -> y (float16), and Cast(x, to float) -> z (float32). */
const float16Model = () =>
  writeModel(
    makeModel(
      makeGraph({
        name: "half",
        node: [
          makeNode("Identity", ["x"], ["y"]),
          makeNode("Cast", ["x"], ["z"], { attributes: { to: DataType.FLOAT } }),
        ],
        input: [makeValueInfo("x", DataType.FLOAT16, [4])],
        output: [makeValueInfo("y", DataType.FLOAT16, [4]), makeValueInfo("z", DataType.FLOAT, [4])],
      }),
      { opsets: { "": 17 } },
    ),
  );

describe("ortEngine", () => {
  it("runs a model through onnxruntime-node: plain {type, data, dims} feeds in, ort tensors out", async () => {
    const session = await ortEngine(ort).createSession(addModel());
    expect([session.inputNames, session.outputNames]).toEqual([["x"], ["y", "z"]]);
    const out = await session.run({ x: { type: "float32", data: Float32Array.of(0.5, -2, 10), dims: [3] } });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([1.5, 0, 13]);
    expect(Array.from(out.z!.data as Float32Array)).toEqual([-1.5, -0, -13]);
    expect(out.y).toBeInstanceOf(ort.Tensor);
    const only = await session.run({ x: new ort.Tensor("float32", Float32Array.of(0, 0, 0), [3]) }, ["z"]);
    expect(Object.keys(only)).toEqual(["z"]);
    await session.release?.();
  });
  it("float16 data is Uint16Array bits both ways in onnxruntime-node and -web, whether or not Float16Array exists", async () => {
    // 1, -1, 2, 0.333251953125 (float16 0x3555)
    const bits = Uint16Array.of(0x3c00, 0xbc00, 0x4000, 0x3555);
    const ortTensor = new ort.Tensor("float16", bits.slice(), [4]);
    const feeds: EngineTensor[] = [{ type: "float16", data: bits, dims: [4] }, ortTensor];
    const Float16 = (globalThis as { Float16Array?: new (b: ArrayBuffer) => ArrayLike<number> }).Float16Array;
    if (Float16 !== undefined)
      feeds.push({ type: "float16", data: new Float16(bits.slice().buffer), dims: [4] });
    for (const runtime of [ort, ortWeb]) {
      const session = await ortEngine(runtime).createSession(float16Model());
      for (const x of feeds) {
        const out = await session.run({ x });
        expect(out.y!.data).toBeInstanceOf(Uint16Array);
        expect(Array.from(out.y!.data as Uint16Array)).toEqual(Array.from(bits));
        expect(Array.from(out.z!.data as Float32Array)).toEqual([1, -1, 2, 0.333251953125]);
      }
      await session.release?.();
    }
    // the caller's tensor is read, not changed
    expect(Object.hasOwn(ortTensor, "data")).toBe(false);
    expect(ortTensor.dims).toEqual([4]);
  });
  it("passes sessionOptions to InferenceSession.create and wraps only what is not a Tensor already", async () => {
    const seen: unknown[] = [];
    class Tensor {
      constructor(
        readonly type: string,
        readonly data: Float32Array,
        readonly dims: readonly number[],
      ) {}
    }
    const fake = {
      Tensor,
      InferenceSession: {
        create: async (...args: unknown[]) => {
          seen.push(args[1]);
          return {
            inputNames: ["x"],
            outputNames: ["x"],
            run: async (feeds: Record<string, EngineTensor>) => {
              seen.push(feeds.x instanceof Tensor);
              return feeds;
            },
          };
        },
      },
    };
    const engine = ortEngine(fake as never, { sessionOptions: { intraOpNumThreads: 1 } });
    const s = await engine.createSession(new Uint8Array());
    const own = new Tensor("float32", Float32Array.of(1), [1]);
    expect((await s.run({ x: own })).x).toBe(own);
    await s.run({ x: { type: "float32", data: Float32Array.of(2), dims: [1] } });
    await s.release?.(); // the fake session has no release: nothing to free
    expect(seen).toEqual([{ intraOpNumThreads: 1 }, true, true]);
    // a calibration session: no memory pattern, unless the caller's sessionOptions set one
    seen.length = 0;
    await engine.createSession(new Uint8Array(), { calibration: true });
    const mine = ortEngine(fake as never, { sessionOptions: { enableMemPattern: true } });
    await mine.createSession(new Uint8Array(), { calibration: true });
    expect(seen).toEqual([{ enableMemPattern: false, intraOpNumThreads: 1 }, { enableMemPattern: true }]);
  });
  it("rejects what is not ONNX Runtime's namespace, and unknown options", () => {
    expect(() => ortEngine({} as never)).toThrow(
      /ortEngine: ort must be ONNX Runtime's namespace \(with InferenceSession.create\)/,
    );
    expect(() => ortEngine({ InferenceSession: { create: async () => ({}) } } as never)).toThrow(
      "ortEngine: ort.Tensor must be ONNX Runtime's Tensor class",
    );
    expect(() => ortEngine(ort, { threads: 1 } as never)).toThrow(/ortEngine: unknown option "threads"/);
  });
});
