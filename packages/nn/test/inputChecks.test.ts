// Issue 15 (nn): items 5, 7, 8, 14, 18 and the checksum of item 1. Non-finite inputs and parameters are
// errors, safetensors headers with a repeated name or absurd nesting are rejected, a checksummed file
// rejects any changed byte, and loadSafetensors checks the file before reading it.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Adam,
  Conv2d,
  createMlp,
  Linear,
  loadSafetensors,
  loadStateDict,
  parseSafetensors,
  predict,
  SGD,
  saveSafetensors,
  serializeSafetensors,
  stateDict,
} from "../src/index";

/** A safetensors file with the given header text and data bytes. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("non-finite numbers are errors where they enter (item 5)", () => {
  const model = createMlp([4, 3, 2], { seed: 0 });
  it("predict rejects NaN input instead of answering class 0", () => {
    expect(() => predict(model, new Float32Array([0, Number.NaN, 0, 0]), [1, 4])).toThrow(
      "predict: x[1] is NaN; inputs must be finite",
    );
    expect(Array.from(predict(model, new Float32Array(4), [1, 4]))).toHaveLength(1);
  });
  it("loadStateDict rejects NaN, Infinity and F64 values beyond float32, leaving the model as it was", () => {
    const before = stateDict(model);
    const w = new Float32Array(before["fc1.weight"]!.data as Float32Array);
    const bad = {
      ...before,
      "fc1.weight": { dtype: "F32", shape: [3, 4], data: w.map((v, i) => (i === 5 ? Number.NaN : v)) },
    };
    expect(() => loadStateDict(model, bad as never)).toThrow(
      "loadStateDict: fc1.weight[5] is NaN; parameters must be finite",
    );
    const f64 = new Float64Array(12).fill(0.5);
    f64[2] = 1e300;
    expect(() =>
      loadStateDict(model, { ...before, "fc1.weight": { dtype: "F64", shape: [3, 4], data: f64 } } as never),
    ).toThrow("loadStateDict: fc1.weight[2] is 1e+300 (Infinity in float32); parameters must be finite");
    const f16 = new Uint16Array(12).fill(0x3c00);
    f16[0] = 0x7c00; // +Infinity
    expect(() =>
      loadStateDict(model, { ...before, "fc1.weight": { dtype: "F16", shape: [3, 4], data: f16 } } as never),
    ).toThrow(/fc1.weight\[0\] is F16 bits 0x7c00/);
    expect((model.parameters()[0]!.data as Float32Array)[5]).toBe(w[5]);
  });
});

describe("options and geometry errors name what is wrong (items 8, 18)", () => {
  it("unknown option keys are errors", () => {
    expect(() => new Linear(2, 2, { biass: false } as never)).toThrow(
      /Linear options has an unknown key "biass"/,
    );
    expect(() => new Conv2d(1, 1, 3, { pading: 1 } as never)).toThrow(
      /Conv2d options has an unknown key "pading"/,
    );
    expect(() => new SGD([], { learningRate: 1 } as never)).toThrow(/SGD options has an unknown key/);
    expect(() => new Adam([], { beta: [0.9, 0.99] } as never)).toThrow(
      /Adam options has an unknown key "beta"/,
    );
    expect(() => createMlp([2, 2], { sed: 1 } as never)).toThrow(
      /createMlp options has an unknown key "sed"/,
    );
    expect(() => loadStateDict(createMlp([2, 2]), {}, { strictt: false } as never)).toThrow(
      /unknown key "strictt"/,
    );
  });
  it("a conv whose padding needs more memory than exists says so, naming the layer", () => {
    const conv = new Conv2d(1, 1, 3, { padding: 1_000_000, seed: 0 });
    expect(() => conv.forward(new Float32Array(4), [1, 1, 2, 2])).toThrow(
      /Conv2d\(1, 1, kernel_size=\(3, 3\), stride=\(1, 1\), padding=\(1000000, 1000000\)\): input \[1, 1, 2, 2\] needs buffers larger than memory allows/,
    );
  });
});

describe("safetensors headers that JSON.parse would quietly accept (items 7, 18)", () => {
  it("a tensor named twice is an error, not the last one silently", () => {
    const h =
      '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    expect(() => parseSafetensors(rawFile(h, new Uint8Array(2)), "dup.safetensors")).toThrow(
      'dup.safetensors: the header names "a" twice',
    );
  });
  it("deep nesting is an error message, not a stack overflow", () => {
    const h = `{"__metadata__":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(() => parseSafetensors(rawFile(h), "deep.safetensors")).toThrow(
      "deep.safetensors: the header nests 100001 levels deep; a safetensors header needs 3",
    );
  });
});

describe("checksummed safetensors (item 1)", () => {
  const tensors = {
    w: { data: new Int8Array([1, -2, 3, -4]), shape: [2, 2] },
    b: { data: new Int32Array([7, 8]), shape: [2] },
  };
  const bytes = serializeSafetensors(tensors, { format: "x" }, { checksum: true });
  it("stamps the CRC-32 of the whole file and verifies it on parse", () => {
    const f = parseSafetensors(bytes, "ok");
    expect(f.metadata.quantkit_crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(Array.from(f.tensors.w!.data as Int8Array)).toEqual([1, -2, 3, -4]);
    // without the option, nothing is added: plain safetensors
    expect(parseSafetensors(serializeSafetensors(tensors, { format: "x" })).metadata).toEqual({
      format: "x",
    });
  });
  it("with requireChecksum, rejects every single-byte change (flips 0x01, 0x80, 0xff at every offset)", () => {
    let accepted = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const c = bytes.slice();
        c[i] = c[i]! ^ flip;
        try {
          parseSafetensors(c, "c", { requireChecksum: true });
          accepted++;
        } catch {
          // rejected: structure or checksum
        }
      }
    }
    expect(accepted).toBe(0);
  });
});

describe("loadSafetensors checks the file before reading it (item 14)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-nn-read-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it("/dev/zero, a FIFO and a directory are errors at once, naming the path", async () => {
    await expect(loadSafetensors("/dev/zero")).rejects.toThrow("/dev/zero is a device, not a regular file");
    const fifo = join(dir, "pipe.safetensors");
    execFileSync("mkfifo", [fifo]);
    await expect(loadSafetensors(fifo)).rejects.toThrow(`${fifo} is a FIFO, not a regular file`);
    await expect(loadSafetensors(dir)).rejects.toThrow(`${dir} is a directory, not a regular file`);
  });
  it("a file over maxBytes is rejected from its size; a missing file names its path", async () => {
    const p = join(dir, "m.safetensors");
    const n = await saveSafetensors(
      p,
      { w: { data: new Float32Array(100), shape: [100] } },
      {},
      { checksum: true },
    );
    await expect(loadSafetensors(p, { maxBytes: n - 1 })).rejects.toThrow(`more than the limit of ${n - 1}`);
    expect((await loadSafetensors(p)).tensors.w!.shape).toEqual([100]);
    await expect(loadSafetensors(join(dir, "none"))).rejects.toThrow(/none: no such file/);
    await writeFile(join(dir, "x"), "");
  });
});
