import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { _gunzipNode, _gunzipWeb } from "../src/gunzip";
import { gunzip, isGzip } from "../src/index";
import { idx } from "./_idxFiles";

/** A gzip stream whose ISIZE trailer claims `declared` bytes. */
function withDeclaredSize(gz: Uint8Array, declared: number): Uint8Array {
  const out = new Uint8Array(gz); // a copy (Buffer.slice would share the bytes)
  new DataView(out.buffer).setUint32(out.length - 4, declared, true);
  return out;
}

describe("gunzip is bounded by the size the stream declares (item 15)", () => {
  it("a stream that inflates past its declared size is rejected there, not after inflating it all", async () => {
    const bomb = withDeclaredSize(gzipSync(new Uint8Array(50_000_000)), 10); // 48 KB of gzip, 50 MB inside
    await expect(gunzip(bomb, "bomb.gz")).rejects.toThrow(
      "bomb.gz: the gzip data inflates past 10 bytes, the size it declares or maxBytes",
    );
  });

  it("the DecompressionStream path (browsers) stops at the bound too", async () => {
    const bomb = gzipSync(new Uint8Array(5_000_000));
    await expect(_gunzipWeb(bomb, "bomb.gz", 10)).rejects.toThrow(
      "bomb.gz: the gzip data inflates past 10 bytes",
    );
  });

  it("inflation stops at maxBytes; a declared size the data does not reach is an error", async () => {
    const gz = gzipSync(new Uint8Array(1000));
    await expect(gunzip(gz, "a.gz", { maxBytes: 999 })).rejects.toThrow(
      /a.gz: the gzip data inflates past 999 bytes/,
    );
    await expect(gunzip(withDeclaredSize(gz, 2000), "a.gz")).rejects.toThrow(
      /a.gz: the gzip data (is truncated or corrupt|inflates to 1000 bytes but declares 2000)/,
    );
    expect((await gunzip(gz, "a.gz")).length).toBe(1000);
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

  it("detects gzip by its magic number", () => {
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });

  it("node:zlib and DecompressionStream inflate to the same bytes", async () => {
    const big = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
    const z = gzipSync(big);
    expect(await _gunzipNode(z, "z", big.length)).toEqual(big);
    expect(await _gunzipWeb(z, "z", big.length)).toEqual(big);
    expect(await gunzip(z)).toEqual(big);
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
    await expect(_gunzipWeb(cut, "t.gz", 2 ** 30)).rejects.toThrow(
      /t.gz: the gzip data is truncated or corrupt/,
    );
    await expect(gunzip(raw, "r")).rejects.toThrow(
      "r is not gzip data: it starts with 00 00, gzip starts with 1f 8b",
    );
  });
});
