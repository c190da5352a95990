import { readFileSync } from "node:fs";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { opsetVersion } from "../src/opsetVersion";
import { readModel } from "../src/readModel";
import { upgradeOpset } from "../src/upgradeOpset";
import { weights } from "../src/weights";
import { writeModel } from "../src/writeModel";
import { MODELS } from "./_fixtures";
import { graph, model, tensorInfo } from "./_models";

const rng = new Rng(31);

async function run(m: ReturnType<typeof model>, x: Float32Array, dims: number[]) {
  const s = await ort.InferenceSession.create(writeModel(m));
  const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor("float32", x, dims) });
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v.data as Float32Array)]));
}

describe("upgradeOpset", () => {
  it("rewrites opset-9 Clip, Slice, Squeeze, Unsqueeze, Pad and Softmax (flattened axis) to opset 13 with the same outputs", async () => {
    const m = model(
      graph({
        nodes: [
          _node("Clip", ["x"], ["c"], "clip", [_attr("min", { float: -0.5 }), _attr("max", { float: 0.7 })]),
          _node("Slice", ["c"], ["s"], "slice", [
            _attr("starts", [0, 1]),
            _attr("ends", [1, 4]),
            _attr("axes", [0, 2]),
          ]),
          _node("Squeeze", ["s"], ["q"], "squeeze", [_attr("axes", [0])]),
          _node("Unsqueeze", ["q"], ["u"], "unsqueeze", [_attr("axes", [0])]),
          _node("Pad", ["u"], ["p"], "pad", [
            _attr("pads", [0, 0, 1, 0, 0, 2]),
            _attr("value", { float: 0.25 }),
          ]),
          _node("Softmax", ["p"], ["y"], "softmax"), // opset 9: over dims 1.. flattened
        ],
        inputs: [tensorInfo("x", 1, [2, 3, 5])],
        outputs: [tensorInfo("y", 1)],
      }),
      9,
    );
    const x = new Float32Array(30).map(() => rng.next() * 2 - 1);
    const before = await run(m, x, [2, 3, 5]);
    const up = upgradeOpset(m, 13);
    expect(opsetVersion(up)).toBe(13);
    expect(up.graph!.node.map((n) => n.opType)).toEqual([
      "Clip",
      "Slice",
      "Squeeze",
      "Unsqueeze",
      "Pad",
      "Shape",
      "Flatten",
      "Softmax",
      "Reshape",
    ]);
    const after = await run(up, x, [2, 3, 5]);
    expect(after.y).toEqual(before.y);
    expect(opsetVersion(m)).toBe(9); // the input is untouched
  });

  it("PP-OCR direction classifier (opset 9, Clip and Slice inside): the same outputs after the upgrade", async () => {
    const m = readModel(readFileSync(MODELS.ocrCls));
    const x = new Float32Array(3 * 48 * 192).map(() => rng.next() * 2 - 1);
    const before = await run(m, x, [1, 3, 48, 192]);
    const after = await run(upgradeOpset(m, 13), x, [1, 3, 48, 192]);
    expect(after).toEqual(before);
  });

  it("shares the input's weight bytes instead of copying them (PP-OCRv4 recogniser), and leaves the input's bytes unchanged", () => {
    const bytes = readFileSync(MODELS.ocrRec);
    const m = readModel(bytes);
    const up = upgradeOpset(m, 13);
    const before = weights(m);
    const after = new Map(weights(up).map((w) => [w.name, w.tensor]));
    const big = before.filter((w) => w.tensor.rawData.length > 1000);
    expect(big.length).toBeGreaterThan(10);
    for (const w of big) {
      const t = after.get(w.name)!;
      // (=== and toBe(true): toBe on these objects would compare megabytes for its failure message)
      expect(t === w.tensor).toBe(false); // a tensor of its own...
      expect(t.rawData === w.tensor.rawData).toBe(true); // ...over the same bytes: the file's
      expect(t.rawData.buffer === bytes.buffer).toBe(true);
    }
    expect(Buffer.compare(writeModel(m), bytes)).toBe(0);
    expect(opsetVersion(upgradeOpset(up, 13))).toBe(13);
    const again = weights(upgradeOpset(up, 13)).find((w) => w.name === big[0]!.name)!.tensor;
    expect(again.rawData === big[0]!.tensor.rawData).toBe(true); // already at 13: a copy sharing the bytes too
  });

  it("refuses Upsample (naming the node), opsets below 9 and other targets", () => {
    const up = model(
      graph({
        nodes: [_node("Upsample", ["x", "s"], ["y"], "up1")],
        inputs: [tensorInfo("x", 1)],
        outputs: [tensorInfo("y", 1)],
      }),
      9,
    );
    expect(() => upgradeOpset(up, 13)).toThrow(
      /node "up1" \(Upsample, main\) cannot be converted: deprecated in opset 10/,
    );
    up.opsetImport[0]!.version = 7n;
    expect(() => upgradeOpset(up, 13)).toThrow(/imports opset 7; this converter takes opset 9..12 to 13/);
    expect(() => upgradeOpset(up, 14)).toThrow(/target must be 13/);
  });
});
