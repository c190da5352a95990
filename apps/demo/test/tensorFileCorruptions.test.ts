// The tensor-file part of issue 15's standing adversarial suite (what `quantkit quantize` reads):
// flips and truncations of a safetensors file, a .npy file and a JSON file, and random bytes under each
// extension. Every case must end in a RangeError naming the file or a successful read, never a hang, a
// crash or another error. Plain tensor files carry no checksum, so a flipped data byte is a different
// valid tensor: such reads are counted apart ("accepted, content changed").
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeSafetensors } from "@quantkit/nn";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npyBytes } from "../src/cli/_npyBytes";
import { type NamedTensor, readTensors } from "../src/cli/tensorFile";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-tensor-corruptions-"));
});
const counts = { tried: 0, rejected: 0, unchanged: 0, changed: 0 };
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  console.log(
    `adversarial suite, tensor files: ${counts.tried} corruptions tried, ${counts.rejected} rejected with a named error, ${counts.changed} accepted with changed content (plain files carry no checksum), ${counts.unchanged} accepted unchanged, 0 hangs or crashes`,
  );
});

const values = new Float32Array([0.5, -1.25, 3, 0.125, -2, 7]);
const sources: Record<string, Uint8Array> = {
  ".safetensors": serializeSafetensors({ w: { data: values, shape: [2, 3] } }),
  ".npy": npyBytes("<f4", [2, 3], values),
  ".json": new TextEncoder().encode(
    JSON.stringify({
      w: {
        data: [
          [0.5, -1.25, 3],
          [0.125, -2, 7],
        ],
        shape: [2, 3],
      },
    }),
  ),
};

let n = 0;
async function attempt(ext: string, bytes: Uint8Array): Promise<void> {
  const path = join(dir, `c${n++}${ext}`);
  await writeFile(path, bytes);
  counts.tried++;
  let got: NamedTensor[];
  try {
    got = await readTensors(path);
  } catch (error) {
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain(path.slice(0, -ext.length));
    counts.rejected++;
    return;
  }
  const same =
    got.length === 1 && got[0]!.shape.join() === "2,3" && got[0]!.data.every((v, i) => v === values[i]);
  if (same) counts.unchanged++;
  else counts.changed++;
}

describe("adversarial suite: tensor files", () => {
  it.each(Object.keys(sources))("%s: a flip of every byte and a truncation at every length", async (ext) => {
    const src = sources[ext]!;
    for (let i = 0; i < src.length; i++) {
      const c = src.slice();
      c[i]! ^= 0x41;
      await attempt(ext, c);
    }
    for (let k = 0; k < src.length; k += 2) await attempt(ext, src.subarray(0, k));
  });

  it("fast-check: random bytes under every extension", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(sources)),
        fc.uint8Array({ maxLength: 300 }),
        async (ext, b) => {
          await attempt(ext, b);
        },
      ),
      { seed: 15, numRuns: 200 },
    );
  });
});
