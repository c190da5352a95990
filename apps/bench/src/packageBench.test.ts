import { describe, expect, it } from "vitest";
import { benchFloat16 } from "../../../packages/numeric/bench/float16.bench";
import { benchEntry } from "./packageBench";
import { findRepoRoot } from "./paths";

const repoRoot = findRepoRoot();

describe("benchEntry(repoRoot, file, fn)", () => {
  it("names an imported bench function by its file and its name, as the result file's source", () => {
    const entry = benchEntry(repoRoot, "packages/numeric/bench/float16.bench.ts", benchFloat16);
    expect(entry).toEqual({
      file: "packages/numeric/bench/float16.bench.ts",
      name: "benchFloat16",
      fn: benchFloat16,
      source: "packages/numeric/bench/float16.bench.ts#benchFloat16",
    });
  });

  it("throws when the file named for the record is not there (it drifted from the import)", () => {
    expect(() => benchEntry(repoRoot, "packages/numeric/bench/f16.bench.ts", benchFloat16)).toThrow(
      "packages/numeric/bench/f16.bench.ts does not exist under",
    );
  });

  it("throws when what was imported is not a function", () => {
    const missing = undefined as unknown as typeof benchFloat16;
    expect(() => benchEntry(repoRoot, "packages/numeric/bench/float16.bench.ts", missing)).toThrow(
      "packages/numeric/bench/float16.bench.ts must export a bench function, got undefined",
    );
  });
});
