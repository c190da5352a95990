import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  ALLOWED_ARROWS,
  moduleCycles,
  packageOf,
  readWorkspaces,
  testLayoutViolations,
  violations,
} from "./_architecture";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rootDevDependencies = Object.keys(
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies,
);

/**
 * Violations the tree still has, each with the work that removes it (issue #14). The test fails when
 * one of them is gone too, so the list only shrinks.
 */
const KNOWN: Record<string, string> = {};

/**
 * Public modules still without a test file of their own, each with why (issue #14's d3 layout). Empty
 * since every package's modules have one; the test fails when an entry here is fixed too, so the list
 * only shrinks: a new module comes with its test/<name>.test.ts.
 */
const UNTESTED: Record<string, string> = {};

describe("the package graph of the tree", () => {
  const workspaces = readWorkspaces(root);

  it("has every package of packages/ in the design's arrows", () => {
    const packages = workspaces.filter((w) => w.kind === "package").map((w) => w.dir);
    expect(packages.length).toBeGreaterThanOrEqual(10);
    expect(packages.filter((p) => !(p in ALLOWED_ARROWS))).toEqual([]);
  });

  it("keeps the arrows, declares exactly what the code imports and has no cycle", () => {
    const found = violations(workspaces, { rootDevDependencies });
    expect(found.filter((v) => !(v in KNOWN))).toEqual([]);
    expect(Object.keys(KNOWN).filter((v) => !found.includes(v))).toEqual([]);
  });

  it("has no import cycle between the modules of a package's or an app's src/", () => {
    expect(moduleCycles(root).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("gives every public module of every package a test file named after it, under test/ (none in src/)", () => {
    const found = testLayoutViolations(root);
    expect(found.filter((v) => !(v in UNTESTED))).toEqual([]);
    expect(Object.keys(UNTESTED).filter((v) => !found.includes(v))).toEqual([]);
  });
});

describe("violations(workspaces) on synthetic trees", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(files: Record<string, string>) {
    dir = mkdtempSync(join(tmpdir(), "quantkit-arch-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return readWorkspaces(dir);
  }
  const pkg = (name: string, deps: Record<string, string> = {}, extra: object = {}) =>
    JSON.stringify({ name: `@quantkit/${name}`, dependencies: deps, ...extra });

  it("passes a tree that keeps the rules", () => {
    const w = tree({
      "packages/tensor/package.json": pkg("tensor", { "@quantkit/numeric": "workspace:^" }),
      "packages/tensor/src/index.ts": 'import { x } from "@quantkit/numeric";\nexport const y = x;\n',
      "packages/numeric/package.json": pkg("numeric"),
      "packages/numeric/src/index.ts": 'import { readFileSync } from "node:fs";\nexport const x = 1;\n',
    });
    expect(violations(w)).toEqual([]);
  });

  it("fails on a forbidden arrow (numeric -> quantizers), and on the cycle it makes", () => {
    const w = tree({
      "packages/numeric/package.json": pkg("numeric", { "@quantkit/quantizers": "workspace:^" }),
      "packages/numeric/src/index.ts": 'export * from "@quantkit/quantizers";\n',
      "packages/quantizers/package.json": pkg("quantizers", { "@quantkit/numeric": "workspace:^" }),
      "packages/quantizers/src/index.ts": 'export * from "@quantkit/numeric";\n',
    });
    expect(violations(w)).toEqual([
      "packages/numeric -> quantizers is not an arrow of the design (src/index.ts)",
      "import cycle between packages: numeric -> quantizers -> numeric",
    ]);
  });

  it("fails on a declared dependency that nothing imports, and on an undeclared import", () => {
    const w = tree({
      "packages/kernels/package.json": pkg("kernels", { "@quantkit/tensor": "workspace:^" }),
      "packages/kernels/src/index.ts": 'import { q } from "@quantkit/quantizers";\nexport { q };\n',
      "packages/kernels/test/index.test.ts": 'import { it } from "vitest";\nit("x", () => {});\n',
      "packages/quantizers/package.json": pkg("quantizers"),
      "packages/quantizers/src/index.ts": "export const q = 1;\n",
      "packages/tensor/package.json": pkg("tensor"),
      "packages/tensor/src/index.ts": "export {};\n",
    });
    expect(violations(w)).toEqual([
      "packages/kernels imports @quantkit/quantizers (src/index.ts) without declaring it in dependencies",
      "packages/kernels declares @quantkit/tensor but its source never imports it",
      "packages/kernels imports vitest (test/index.test.ts) without declaring it (devDependencies for tests)",
    ]);
  });

  it("fails when a package imports a runtime or an app, or onnx takes nn as a plain dependency", () => {
    const w = tree({
      "packages/ptq/package.json": pkg("ptq", { "onnxruntime-node": "*", "@quantkit/demo": "*" }),
      "packages/ptq/src/run.ts":
        'import ort from "onnxruntime-node";\nimport "@quantkit/demo";\nexport { ort };\n',
      "apps/demo/package.json": pkg("demo"),
      "packages/onnx/package.json": pkg("onnx", { "@quantkit/nn": "workspace:^" }),
      "packages/onnx/src/nn/index.ts": 'export * from "@quantkit/nn";\n',
      "packages/nn/package.json": pkg("nn"),
      "packages/nn/src/index.ts": "export {};\n",
    });
    expect(violations(w)).toEqual([
      "packages/onnx imports @quantkit/nn (src/nn/index.ts) but the design makes it a peer dependency",
      "packages/ptq imports the runtime onnxruntime-node (src/run.ts): take the engine as an argument",
      "packages/ptq imports the app @quantkit/demo (src/run.ts)",
    ]);
  });

  it("moduleCycles(root) finds a loop between a package's modules, type-only imports included", () => {
    tree({
      "packages/numeric/package.json": pkg("numeric"),
      "packages/numeric/src/index.ts": 'export { f } from "./format";\n',
      "packages/numeric/src/format.ts":
        'import { _explain } from "./_explain";\nexport type Kind = "x";\nexport const f = _explain;\n',
      "packages/numeric/src/_explain.ts":
        'import type { Kind } from "./format.js";\nexport const _explain = (k: Kind) => k;\n',
      "packages/numeric/test/format.test.ts": 'import { f } from "../src/format";\nf("x");\n',
    });
    expect(moduleCycles(dir)).toEqual([
      [
        "packages/numeric/src/_explain.ts",
        "packages/numeric/src/format.ts",
        "packages/numeric/src/_explain.ts",
      ],
    ]);
  });

  it("testLayoutViolations(root) names a public module without its test file and a test inside src/", () => {
    tree({
      "packages/quantizers/package.json": pkg("quantizers"),
      "packages/quantizers/src/index.ts": 'export * from "./quantize";\n',
      "packages/quantizers/src/node.ts": 'export * from "./index";\n',
      "packages/quantizers/src/quantize.ts": "export const quantize = 1;\n",
      "packages/quantizers/src/dequantize.ts": "export const dequantize = 1;\n",
      "packages/quantizers/src/types.ts": "export type QParams = { scale: number };\n",
      "packages/quantizers/src/_plan.ts": "export const _plan = 1;\n",
      "packages/quantizers/src/_gen/table.ts": "export const table = 1;\n",
      "packages/quantizers/src/rounding.test.ts": 'import { it } from "vitest";\nit("x", () => {});\n',
      "packages/quantizers/test/quantize.test.ts": 'import { it } from "vitest";\nit("x", () => {});\n',
      "packages/quantizers/test/types.test-d.ts": "export {};\n",
      "packages/quantizers/test/misc.test.ts": 'import { it } from "vitest";\nit("dequantize", () => {});\n',
    });
    expect(testLayoutViolations(dir)).toEqual([
      "packages/quantizers/src/dequantize.ts has no test file test/dequantize.test.ts (or .test-d.ts)",
      "packages/quantizers/src/rounding.test.ts is a test inside src/: tests live in test/",
    ]);
  });

  it("packageOf(specifier) keeps scope and name, drops subpaths, relative paths and built-ins", () => {
    expect(packageOf("@quantkit/onnx/nn")).toBe("@quantkit/onnx");
    expect(packageOf("onnxruntime-web/wasm")).toBe("onnxruntime-web");
    expect(packageOf("./x.js")).toBeNull();
    expect(packageOf("node:fs")).toBeNull();
    expect(packageOf("fs")).toBeNull();
  });
});
