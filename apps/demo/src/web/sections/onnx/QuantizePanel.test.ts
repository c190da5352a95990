// The panel's wiring, without a browser: its function components are called down to the elements
// Preact would create (none of them uses hooks), and the elements are searched by data-testid.
import { readFileSync } from "node:fs";
import { quantizeMatMulNBits, readModel, writeModel } from "@quantkit/onnx";
import { h, type VNode } from "preact";
import { describe, expect, it, vi } from "vitest";
import { TINY_LM } from "../../../../test/onnxModels";
import { formatInt } from "../../lib/format";
import type { ModelSummary, OnnxMode, QuantizeOutput } from "../../onnx/jobs";
import { PAGE_MODES } from "../../onnx/quantizeModel";
import { QuantizePanel } from "./QuantizePanel";

type Element = VNode<Record<string, unknown> & { children?: unknown }>;

/** The host elements of a tree, depth first, function components called with their props. */
function elements(node: unknown): Element[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (node === null || typeof node !== "object" || !("type" in node)) return [];
  const v = node as Element;
  if (typeof v.type === "function") return elements((v.type as (p: unknown) => unknown)(v.props));
  return [v, ...elements(v.props.children)];
}

/** The text an element shows. */
function text(node: unknown): string {
  if (Array.isArray(node)) return node.map(text).join("");
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (node === null || typeof node !== "object" || !("type" in node)) return "";
  const v = node as Element;
  if (typeof v.type === "function") return text((v.type as (p: unknown) => unknown)(v.props));
  return text(v.props.children);
}

const byTestId = (tree: Element[], id: string) => tree.find((e) => e.props["data-testid"] === id);

const summary: ModelSummary = {
  name: "model.onnx",
  sizeBytes: 3_404_676,
  opset: 17,
  nodes: 1,
  ops: [],
  parameters: 0,
  inputs: [],
  outputs: ["logits"],
};

function panel(mode: OnnxMode, embeddings: boolean, result?: QuantizeOutput) {
  const onEmbeddings = vi.fn();
  const tree = elements(
    h(QuantizePanel, {
      summary,
      mode,
      onMode: () => {},
      perChannel: true,
      onPerChannel: () => {},
      method: "rtn",
      onMethod: () => {},
      blockSize: 32,
      onBlockSize: () => {},
      embeddings,
      onEmbeddings,
      quantize: {
        running: false,
        progress: undefined,
        error: undefined,
        run: async () => undefined,
        cancel: () => {},
      },
      onQuantize: async () => {},
      result,
      download: undefined,
    }),
  );
  return { tree, onEmbeddings };
}

describe("QuantizePanel", () => {
  it('shows "also quantize embedding tables (Gather)" in q4 and q4f16 only, checked as the setting is, and reports a click', () => {
    const shown = PAGE_MODES.map(({ mode }) => [
      mode,
      byTestId(panel(mode, false).tree, "ox-embeddings") !== undefined,
    ]);
    expect(shown).toEqual([
      ["fp16", false],
      ["q8", false],
      ["int8", false],
      ["q4", true],
      ["q4f16", true],
    ]);
    for (const on of [false, true]) {
      const { tree, onEmbeddings } = panel("q4f16", on);
      const box = byTestId(tree, "ox-embeddings")!;
      expect([box.type, box.props.type, box.props.checked]).toEqual(["input", "checkbox", on]);
      const label = tree.find((e) => e.type === "label" && e.props.for === "ox-embeddings")!;
      expect(text(label)).toBe("also quantize embedding tables (Gather)");
      (box.props.onChange as (e: unknown) => void)({ currentTarget: { checked: !on } });
      expect(onEmbeddings.mock.calls).toEqual([[!on]]);
    }
  });

  it("a q4 result with the embedding tables: the Gather is a row of the quantized nodes with its detail, the file size and its label say so", () => {
    const float = readModel(new Uint8Array(readFileSync(TINY_LM)));
    const { model, report } = quantizeMatMulNBits(float, { blockSize: 32, opTypes: ["MatMul", "Gather"] });
    const bytes = writeModel(model);
    const result: QuantizeOutput = {
      mode: "q4",
      opTypes: ["MatMul", "Gather"],
      bytes,
      sizeBytesBefore: 3_404_676,
      sizeBytesAfter: bytes.length,
      quantizeMs: 1,
      nodes: report.nodes,
      outputSqnrDb: { logits: 25 },
      evaluatedSamples: 8,
    };
    const { tree } = panel("q4", true, result);
    const rows = elements(byTestId(tree, "ox-nodes-table")!)
      .filter((e) => e.type === "tr")
      .slice(1)
      .map((tr) =>
        elements(tr.props.children)
          .filter((e) => e.type === "td")
          .map((td) => text(td)),
      );
    const gathers = rows.filter((r) => r[1] === "Gather");
    expect(gathers.map((r) => r[0])).toEqual(["/tok/Gather"]);
    expect(gathers[0]![3]).toMatch(/^GatherBlockQuantized: 4-bit rtn.*table \[63, 128\] in blocks of 32/);
    expect(rows.filter((r) => r[1] === "MatMul").length).toBe(25);
    expect(text(byTestId(tree, "ox-after"))).toBe(formatInt(bytes.length));
    expect(text(tree.find((e) => e.props.class === "stat accent"))).toContain("q4 + embeddings file");
    // Without the option the same table lists no Gather and the label is the mode's alone.
    const plain = quantizeMatMulNBits(float, { blockSize: 32 });
    const without = panel("q4", false, {
      ...result,
      opTypes: ["MatMul"],
      nodes: plain.report.nodes,
      sizeBytesAfter: writeModel(plain.model).length,
    }).tree;
    expect(text(byTestId(without, "ox-nodes-table"))).not.toContain("GatherBlockQuantized");
    expect(text(without.find((e) => e.props.class === "stat accent"))).toMatch(/^q4 file/);
    expect(Number(text(byTestId(without, "ox-after")).replace(/\D/g, ""))).toBeGreaterThan(bytes.length);
  });
});
