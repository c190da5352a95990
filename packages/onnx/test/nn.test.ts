// The "@quantkit/onnx/nn" entry: the only part of the package that imports @quantkit/nn and
// @quantkit/ptq (peer dependencies, design.md's arrows); the core entry must not reach them.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as bridge from "../src/nn";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Every package an entry reaches through its relative imports (static, re-exports and import()). */
function packagesReached(entry: string): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"([^"]+)"/g)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) visit(`${join(dirname(file), spec)}.ts`);
      else if (!packages.has(spec)) packages.set(spec, file);
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe("@quantkit/onnx/nn", () => {
  it("exports the bridge functions", () => {
    expect(Object.keys(bridge).sort()).toEqual(["exportQuantizedModel", "importSequential"]);
  });

  it("the core entry (index.ts) and the node entry reach neither @quantkit/nn nor @quantkit/ptq", () => {
    for (const entry of ["index.ts", "node.ts"]) {
      const reached = [...packagesReached(entry).keys()];
      expect(reached).toContain("@bufbuild/protobuf"); // the walk does follow the imports
      expect(reached.filter((p) => /^@quantkit\/(nn|ptq|qat)(\/|$)/.test(p))).toEqual([]);
    }
  });

  it("the nn entry is where they are imported", () => {
    const reached = [...packagesReached("nn.ts").keys()];
    expect(reached).toContain("@quantkit/ptq");
  });
});
