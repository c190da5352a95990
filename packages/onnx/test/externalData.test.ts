import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterAll, describe, expect, it } from "vitest";

import {
  DataLocation,
  DataType,
  externalDataInfo,
  externalizeData,
  loadExternalData,
  makeGraph,
  makeModel,
  makeTensor,
  readModel,
  TensorProtoSchema,
  toArray,
  writeModel,
} from "../src/index";

/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

const dir = mkdtempSync(join(tmpdir(), "quantkit-onnx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function external(name: string, dims: bigint[], entries: Record<string, string>) {
  return create(TensorProtoSchema, {
    name,
    dataType: DataType.UINT8,
    dims,
    dataLocation: DataLocation.EXTERNAL,
    externalData: Object.entries(entries).map(([key, value]) => ({ key, value })) as never,
  });
}

describe("external data through a resolver (browser-safe core)", () => {
  it("loads location / offset / length ranges, asking for each file once", async () => {
    const a = external("a", [2n], { location: "w.bin", offset: "1", length: "2" });
    const b = external("b", [3n], { location: "w.bin", offset: "3" });
    const model = makeModel(makeGraph({ name: "g", initializer: [a, b] }));
    const asked: string[] = [];
    const n = await loadExternalData(model, (loc) => {
      asked.push(loc);
      return new Uint8Array([9, 1, 2, 3, 4, 5]);
    });
    expect([n, asked, Array.from(toArray(a) as Uint8Array), Array.from(toArray(b) as Uint8Array)]).toEqual([
      2,
      ["w.bin"],
      [1, 2],
      [3, 4, 5],
    ]);
    expect(a.dataLocation).toBe(DataLocation.DEFAULT);
    // Loaded tensors serialize like ordinary ones: no data_location or external_data left.
    expect(writeModel(model)).toEqual(
      writeModel(
        makeModel(
          makeGraph({
            name: "g",
            initializer: [
              create(TensorProtoSchema, {
                name: "a",
                dataType: DataType.UINT8,
                dims: [2n],
                rawData: new Uint8Array([1, 2]),
              }),
              create(TensorProtoSchema, {
                name: "b",
                dataType: DataType.UINT8,
                dims: [3n],
                rawData: new Uint8Array([3, 4, 5]),
              }),
            ],
          }),
        ),
      ),
    );
  });

  it("errors name the tensor, the file and the values", async () => {
    const load = (t: ReturnType<typeof external>, bytes = new Uint8Array(4)) =>
      loadExternalData(makeModel(makeGraph({ name: "g", initializer: [t] })), () => bytes);
    await expect(load(external("w", [8n], { location: "d.bin" }))).rejects.toThrow(
      /tensor "w" \(external "d\.bin", offset 0, length to end\): 4 bytes, dims \[8\] need 8/,
    );
    await expect(load(external("w", [2n], { location: "d.bin", offset: "3", length: "2" }))).rejects.toThrow(
      /outside the file of 4 bytes/,
    );
    await expect(load(external("w", [2n], { location: "../etc/passwd" }))).rejects.toThrow(
      /location "\.\.\/etc\/passwd" must be a relative path inside the model's folder/,
    );
    await expect(load(external("w", [2n], { location: "d.bin", offset: "-1" }))).rejects.toThrow(
      /offset "-1" is not a non-negative integer/,
    );
    await expect(
      loadExternalData(
        makeModel(makeGraph({ name: "g", initializer: [external("w", [1n], { location: "gone.bin" })] })),
        () => {
          throw new Error("ENOENT");
        },
      ),
    ).rejects.toThrow(/tensor "w": cannot read external data file "gone\.bin": ENOENT/);
  });

  it("externalizeData moves large raw_data out, aligned, and loads back to the same bytes", async () => {
    const big = makeTensor(
      "big",
      DataType.FLOAT,
      [300_000],
      new Float32Array(300_000).map((_, i) => i),
    );
    const small = makeTensor("small", DataType.FLOAT, [4], [1, 2, 3, 4]);
    const mid = makeTensor("mid", DataType.INT8, [2000], new Int8Array(2000).fill(-3));
    const model = makeModel(makeGraph({ name: "g", initializer: [mid, big, small] }));
    const original = writeModel(model).slice();
    const blob = externalizeData(model, { location: "m.data" });
    expect(externalDataInfo(mid)).toEqual({
      location: "m.data",
      offset: 0,
      length: 2000,
      checksum: undefined,
    });
    expect(externalDataInfo(big)).toEqual({
      location: "m.data",
      offset: 4096,
      length: 1_200_000,
      checksum: undefined,
    });
    expect([externalDataInfo(small), blob.length]).toEqual([undefined, 4096 + 1_200_000]);
    const reread = readModel(writeModel(model));
    await loadExternalData(reread, () => blob);
    expect(same(writeModel(reread), original)).toBe(true);
  });
});

describe("the core entry stays browser-safe", () => {
  it("no module reachable from src/index.ts imports node: builtins", () => {
    const src = join(__dirname, "..", "src");
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(src, file), "utf8");
      for (const m of text.matchAll(/from "([^"]+)"/g)) {
        const spec = m[1]!;
        expect(spec.startsWith("node:") || spec === "fs" || spec === "path", `${file} imports ${spec}`).toBe(
          false,
        );
        if (spec.startsWith("./")) visit(`${spec.slice(2)}.ts`);
      }
    };
    visit("index.ts");
    expect(seen.size).toBeGreaterThan(20);
    expect(seen.has("readModelFile.ts")).toBe(false);
  });
});
