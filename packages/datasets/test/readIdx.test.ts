import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readIdx } from "../src/index";
import { idx, labelsFile } from "./_idxFiles";

// The IDX and gzip part of issue 15's standing adversarial suite: hand-made and fast-check corruptions of
// IDX files, raw and gzip-compressed. Every case must end in a RangeError that names the file, or a
// successful read; none may hang, crash or throw anything else. gzip's CRC-32 and length trailer make
// every change to compressed content an error; raw IDX has no checksum, so a changed pixel or label byte
// is a valid file and is counted apart ("accepted, content changed": undetectable by design).

function images(count: number, rows: number, cols: number): Uint8Array {
  const b = new Uint8Array(16 + count * rows * cols).map((_, i) => (i * 37) % 256);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x803);
  v.setUint32(4, count);
  v.setUint32(8, rows);
  v.setUint32(12, cols);
  return b;
}

type Outcome = "rejected" | "unchanged" | "changed";
const counts: Record<string, Record<Outcome, number>> = {};
function tally(kind: string, o: Outcome) {
  counts[kind] ??= { rejected: 0, unchanged: 0, changed: 0 };
  counts[kind]![o]++;
}

async function outcome(bytes: Uint8Array, original: Uint8Array): Promise<Outcome> {
  try {
    const a = await readIdx(bytes, "case.idx");
    const same =
      a.data.length === original.length - 16 &&
      (a.data as Uint8Array).every((x, i) => x === original[16 + i]);
    return same && a.shape.join() === "6,4,5" ? "unchanged" : "changed";
  } catch (error) {
    // Only named RangeErrors count as a clear rejection.
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/^case\.idx/);
    return "rejected";
  }
}

describe("adversarial suite: IDX and gzip", () => {
  const raw = images(6, 4, 5);
  const gz = new Uint8Array(gzipSync(raw));
  afterAll(() => {
    for (const [kind, c] of Object.entries(counts)) {
      const tried = c.rejected + c.unchanged + c.changed;
      console.log(
        `adversarial suite, ${kind}: ${tried} corruptions tried, ${c.rejected} rejected with a named error, ${c.changed} accepted with changed content, ${c.unchanged} accepted unchanged, 0 hangs or crashes`,
      );
    }
  });

  it("gzip: a flip of every byte, a truncation at every length: rejected or unchanged, never changed content", async () => {
    for (let i = 0; i < gz.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const c = gz.slice();
        c[i]! ^= flip;
        tally("gzip IDX", await outcome(c, raw));
      }
    }
    for (let n = 0; n < gz.length; n++) tally("gzip IDX", await outcome(gz.subarray(0, n), raw));
    expect(counts["gzip IDX"]!.changed).toBe(0);
  });

  it("raw IDX: header flips and truncations are rejected; data flips are valid files", async () => {
    for (let i = 0; i < 16; i++) {
      for (const flip of [0x01, 0x02, 0x40, 0x80, 0xff]) {
        const c = raw.slice();
        c[i]! ^= flip;
        const o = await outcome(c, raw);
        tally("raw IDX header", o);
        // The one change that leaves a valid file: the type byte 0x08 (uint8) flipped to 0x09 (int8), the
        // same bytes read as signed. Raw IDX has no checksum; any other header change is rejected.
        if (o === "changed") expect([i, flip]).toEqual([2, 0x01]);
      }
    }
    for (let n = 0; n < raw.length; n += 3) tally("raw IDX header", await outcome(raw.subarray(0, n), raw));
    expect(counts["raw IDX header"]!.changed).toBe(1);
  });

  it("fast-check: random bytes, random edits of the header and gzip bombs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 255 })).map(([at, flip]) => {
            const c = raw.slice();
            c[at]! ^= flip;
            return c;
          }),
          fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((declared) => {
            const c = gz.slice();
            new DataView(c.buffer).setUint32(c.length - 4, declared, true);
            return c;
          }),
        ),
        async (bytes) => {
          const o = await outcome(bytes, raw);
          tally("random IDX/gzip", o);
          return o !== "changed" || bytes.length === raw.length;
        },
      ),
      { seed: 15, numRuns: 400 },
    );
  });
});

describe("gunzip is bounded by the size the stream declares (item 15)", () => {
  it("readIdx passes the bound on", async () => {
    const gz = gzipSync(labelsFile([1, 2, 3]));
    await expect(readIdx(gz, "l.gz", { maxBytes: 4 })).rejects.toThrow(
      /l.gz: the gzip data inflates past 4 bytes/,
    );
    expect((await readIdx(gz, "l.gz")).shape).toEqual([3]);
  });
});

describe("readIdx inflates gzip (magic 1f 8b)", () => {
  const raw = idx(
    0x08,
    [3, 2, 2],
    Array.from({ length: 12 }, (_, i) => 255 - i),
    1,
  );
  const gz = gzipSync(raw);

  it("reads raw and gzip files to the same array", async () => {
    const a = await readIdx(raw);
    const b = await readIdx(gz);
    expect(b.shape).toEqual([3, 2, 2]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it("a gzip file whose content is a truncated IDX file reports the IDX error", async () => {
    await expect(readIdx(gzipSync(raw.subarray(0, 20)), "img.gz")).rejects.toThrow(
      "img.gz is truncated: dimensions [3, 2, 2] of uint8 need 12 data bytes but the file has 4",
    );
  });
});

describe("readIdx inflates gzip (magic 1f 8b)", () => {
  const raw = idx(
    0x08,
    [3, 2, 2],
    Array.from({ length: 12 }, (_, i) => 255 - i),
    1,
  );
  const gz = gzipSync(raw);

  it("a truncated or corrupt gzip stream is a clear error on both paths", async () => {
    const cut = gz.subarray(0, gz.length - 10);
    await expect(readIdx(cut, "t.gz")).rejects.toThrow(/t.gz: the gzip data is truncated or corrupt/);
    const corrupt = gz.slice();
    corrupt[12] = corrupt[12]! ^ 0xff;
    corrupt[13] = corrupt[13]! ^ 0xff;
    await expect(readIdx(corrupt, "c.gz")).rejects.toThrow(/c.gz: the gzip data is truncated or corrupt/);
  });
});
