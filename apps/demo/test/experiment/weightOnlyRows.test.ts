import { batches } from "@quantkit/datasets";
import { Adam, createMlp, evaluate, fit, type Linear, type Sequential } from "@quantkit/nn";
import { quantizeWeightsOnly } from "@quantkit/ptq";
import { describe, expect, it } from "vitest";
import { weightOnlyRows } from "../../src/cli/experiment/weightOnlyRows";
import { mnistSlice } from "./_mnistSlice";

async function trained() {
  const { train, test } = await mnistSlice(500, 200);
  const fp32 = createMlp([784, 32, 10], { seed: 1 });
  await fit(fp32, batches(train, { batchSize: 10, shuffle: true, seed: 1 }), {
    optimizer: new Adam(fp32.parameters(), { lr: 1e-3 }),
  });
  return { train, test, fp32 };
}

describe("weightOnlyRows(fp32, options)", () => {
  it("each row is quantizeWeightsOnly's model evaluated on the test set; GPTQ and AWQ calibrated on the given samples", async () => {
    const { train, test, fp32 } = await trained();
    const before = Float32Array.from((fp32.get("fc1") as Linear).weight.data);
    const calls: string[] = [];
    const rows = weightOnlyRows(fp32, {
      calibration: train,
      test,
      bits: [3],
      methods: ["rtn", "gptq"],
      blockSize: 16,
      onRow: (done, total, label) => calls.push(`${done}/${total} ${label}`),
    });
    expect(calls).toEqual(["0/2 w3 rtn", "1/2 w3 gptq", "2/2 weight-only done"]);
    expect((fp32.get("fc1") as Linear).weight.data).toEqual(before);
    const calibration = { data: train.images, shape: [train.count, 784] };
    for (const row of rows) {
      const q = quantizeWeightsOnly(fp32, {
        method: row.method,
        bits: 3,
        blockSize: 16,
        ...(row.method === "gptq" ? { calibration } : {}),
      });
      const e = evaluate(q.model as Sequential, batches(test, { batchSize: 1000 }));
      expect(row).toMatchObject({
        bits: 3,
        blockSize: 16,
        correct: e.correct,
        count: 200,
        sizeBytes: q.sizeBytes,
        backend: "nn",
        calibrationRows: row.method === "gptq" ? 500 : 0,
      });
      expect(row.weightSqnrDb).toEqual(q.layers.map((l) => l.weightSqnrDb));
    }
  });

  it("stops between rows when its signal aborts, returning the rows done", async () => {
    const { train, test, fp32 } = await trained();
    const controller = new AbortController();
    const rows = weightOnlyRows(fp32, {
      calibration: train,
      test,
      methods: ["rtn", "hqq"],
      bits: [4],
      signal: controller.signal,
      onRow: (done) => {
        if (done === 1) controller.abort();
      },
    });
    expect(rows.map((r) => r.method)).toEqual(["rtn"]);
  });

  it("rejects unknown options and data of another size", async () => {
    const { train, test, fp32 } = await trained();
    expect(() => weightOnlyRows(fp32, { calibration: train, test, blocksize: 16 } as never)).toThrow(
      /blocksize/,
    );
    const small = {
      images: new Float32Array(10),
      labels: new Uint8Array([0, 1]),
      count: 2,
      rows: 1,
      cols: 5,
    };
    expect(() => weightOnlyRows(fp32, { calibration: train, test: small })).toThrow(
      "calibration and test samples differ in size",
    );
  });
});
