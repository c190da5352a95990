// Every @example of the core modules runs, and where a statement ends in `// value`, it gives that
// value (typed arrays compared by their elements; a trailing "(note)" is ignored).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as protobuf from "@bufbuild/protobuf";
import * as tensor from "@quantkit/tensor";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as onnx from "../src/index";

const FILES = [
  "allNodes",
  "attribute",
  "constantTensor",
  "consumers",
  "convertFloatToFloat16",
  "createNameScope",
  "dataType",
  "editNodes",
  "externalData",
  "fromArray",
  "graphs",
  "initializer",
  "inspect",
  "irVersion",
  "makeModel",
  "makeNode",
  "makeTensor",
  "opsetVersion",
  "producers",
  "readModel",
  "toArray",
  "toFloat32Array",
  "toTensor",
  "topologicalSort",
  "valueInfo",
  "weights",
  "writeModel",
];
const MODULES: Record<string, unknown> = {
  "@quantkit/onnx": onnx,
  "@quantkit/tensor": tensor,
  "@bufbuild/protobuf": protobuf,
};

function examples(file: string): Array<{ line: number; code: string }> {
  const text = readFileSync(join(__dirname, "..", "src", `${file}.ts`), "utf8");
  const out: Array<{ line: number; code: string }> = [];
  for (const m of text.matchAll(/@example\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)) {
    const line = text.slice(0, m.index).split("\n").length + 2;
    out.push({ line, code: m[1]!.replace(/^\s*\* ?/gm, "") });
  }
  return out;
}

function literal(comment: string): { ok: true; value: unknown } | { ok: false } {
  const candidates = [comment, comment.replace(/\s*\(.*\)\s*$/, ""), comment.split(":")[0]!];
  for (let text of candidates) {
    text = text.replace(/^[A-Za-z0-9]+Array \[(.*)\]$/, "[$1]").trim();
    try {
      return { ok: true, value: new Function(`return (${text});`)() };
    } catch {}
  }
  return { ok: false };
}

const plain = (v: unknown): unknown =>
  ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : v;

describe("@example blocks run and show true values", () => {
  let checked = 0;
  for (const file of FILES) {
    const found = examples(file);
    it(`${file}.ts: ${found.length} example(s)`, async () => {
      expect(found.length).toBeGreaterThan(0);
      for (const { line, code } of found) {
        const checks: Array<{ expected: unknown; where: string }> = [];
        const body = code
          .split("\n")
          .map((l, i) => {
            const m = /^(.*?);\s*\/\/\s*(.+)$/.exec(l);
            if (m === null || /^\s*(const|let|import|await\s+\w+\(.*\)\s*$)/.test(m[1]!)) return l;
            const parsed = literal(m[2]!);
            if (!parsed.ok) return l;
            checks.push({ expected: parsed.value, where: `${file}.ts:${line + i}` });
            return `__check(${checks.length - 1}, ${m[1]});`;
          })
          .join("\n");
        const js = ts
          .transpileModule(body, {
            compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
          })
          .outputText.replace(
            /import\s*\{([^}]*)\}\s*from\s*"([^"]+)";/g,
            (_, names: string, mod: string) => {
              return `const {${names.replace(/\bas\b/g, ":")}} = __modules[${JSON.stringify(mod)}];`;
            },
          );
        const seen: unknown[] = [];
        const run = new Function("__modules", "__check", `return (async () => {\n${js}\n})();`);
        await run(MODULES, (i: number, v: unknown) => {
          seen[i] = v;
        });
        for (const [i, c] of checks.entries()) expect(plain(seen[i]), c.where).toEqual(c.expected);
        checked += checks.length;
      }
    });
  }
  it("checked the values of most examples (the comment parser is not vacuous)", () => {
    expect(checked).toBeGreaterThan(40);
  });
});
