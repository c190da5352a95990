/**
 * "Quantize your own model" in Chromium: build the page (vite's API), serve dist/ locally, load the
 * bundled example (Silero VAD v5), quantize it in the page's worker, run both models in
 * onnxruntime-web, download the result. The sizes are checked against @quantkit/onnx run here in
 * Node on the same file; the screenshot goes to the ignored .artifacts/screenshots/demo/.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type EngineFeeds,
  ortEngine,
  quantizeDynamic,
  quantizeStatic,
  readModel,
  writeModel,
} from "@quantkit/onnx";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFeeds, SILERO_SPECS } from "../src/web/onnx/exampleInput";
import { SILERO_V5 } from "../test/onnxModels";
import { consoleErrors, offsite, page, server, shots, text, useDemoPage } from "./_demoPage";

let downloads = "";
let lastTime = "";
/** A count as the page prints it (digits grouped by narrow spaces). */
const int = (s: string) => Number(s.replace(/[^\d]/g, ""));

/** The cells of a data table's body, row by row. */
async function rows(id: string): Promise<string[][]> {
  return page
    .getByTestId(id)
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")),
    );
}

useDemoPage({ width: 1280, height: 900 });

beforeAll(() => {
  downloads = mkdtempSync(join(tmpdir(), "quantkit-onnx-download-"));
  // this section's work runs in the page's worker: its console errors count too
  page.on("worker", (w) =>
    w.on("console", (m) => m.type() === "error" && consoleErrors.push(`worker: ${m.text()}`)),
  );
});

afterAll(() => {
  rmSync(downloads, { recursive: true, force: true });
});

describe("11. quantize your own model, in chromium", () => {
  const floatBytes = readFileSync(SILERO_V5);
  const q8Bytes = writeModel(quantizeDynamic(readModel(new Uint8Array(floatBytes))).model).length;

  it("loads the bundled Silero VAD v5 example from the local server", async () => {
    await page.goto(server.url);
    await page.getByTestId("nav-onnx").click();
    await page.getByTestId("section-onnx").waitFor({ state: "visible", timeout: 30_000 });
    await page.getByTestId("ox-example").click();
    await expect.poll(async () => int(await text("ox-size")), { timeout: 60_000 }).toBe(floatBytes.length);
    expect(await text("ox-name")).toBe("silero_vad_v5.onnx");
    expect(int(await text("ox-params"))).toBe(545_597);
  });

  it("quantizes it to q8 in the worker: the size equals @quantkit/onnx's in Node, 12 Convs and 4 LSTMs quantized, the outputs' SQNR reported", async () => {
    await page.getByTestId("ox-mode-q8").click();
    await page.getByTestId("ox-quantize").click();
    await page.getByTestId("ox-after").waitFor({ state: "visible", timeout: 120_000 });
    expect(int(await text("ox-before"))).toBe(floatBytes.length);
    expect(int(await text("ox-after"))).toBe(q8Bytes);
    const nodes = await rows("ox-nodes-table");
    const convs = [...Array(6).fill("Conv"), "LSTM", "LSTM"];
    expect(nodes.map((r) => r[1])).toEqual([...convs, ...convs]);
    for (const r of nodes) expect(r[3]).toMatch(r[1] === "Conv" ? /^ConvInteger/ : /^DynamicQuantizeLSTM/);
    expect((await rows("ox-float-table")).some((r) => r[1]!.includes("does not quantize LSTM"))).toBe(false);
    const sqnr = Object.fromEntries(
      (await rows("ox-outputs-sqnr")).map((r) => [r[0], Number.parseFloat(r[1]!)]),
    );
    expect(sqnr.output).toBeGreaterThan(15);
    expect(Number.isFinite(sqnr.stateN)).toBe(true);
  });

  it("runs the float and the q8 model side by side in onnxruntime-web: both ran, their speech probabilities are close", async () => {
    await page.getByTestId("ox-run").click();
    await page.getByTestId("ox-ms-quant").waitFor({ state: "visible", timeout: 120_000 });
    expect(await text("ox-ms-float")).toMatch(/\d/);
    expect(await text("ox-ms-quant")).toMatch(/\d/);
    const compare = await rows("ox-compare");
    const out = compare.find((r) => r[0] === "output")!;
    expect(out[1]).toBe("[1, 1]");
    const [pf, pq] = [Number(out[2]), Number(out[3])];
    expect(pf).toBeGreaterThanOrEqual(0);
    expect(pf).toBeLessThanOrEqual(1);
    expect(Math.abs(pf - pq)).toBeLessThan(0.05);
    expect(Number(out[5])).toBeLessThan(0.05);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, "11-onnx.png"), fullPage: true });
    lastTime = await text("ox-time");
  });

  it("quantizes it to int8 (static QDQ, calibrated on the example inputs): the size equals Node's, Convs as QDQ with their own SQNR; both models run", async () => {
    await page.getByTestId("ox-mode-int8").click();
    await page.getByTestId("ox-quantize").click();
    await expect
      .poll(
        async () => (await page.getByTestId("ox-after").isVisible()) && (await text("ox-time")) !== lastTime,
        { timeout: 120_000 },
      )
      .toBe(true);
    const samples = Array.from({ length: 8 }, (_, i) =>
      makeFeeds(SILERO_SPECS, 1 + i),
    ) as unknown as EngineFeeds[];
    const { model } = await quantizeStatic(readModel(new Uint8Array(floatBytes)), {
      engine: ortEngine(ort),
      samples,
      evaluate: false,
    });
    expect(int(await text("ox-after"))).toBe(writeModel(model).length);
    const nodes = await rows("ox-nodes-table");
    const convs = nodes.filter((r) => r[1] === "Conv");
    expect(convs.length).toBeGreaterThan(0);
    expect(convs.every((r) => r[3]!.startsWith("QDQ") && /dB|exact/.test(r[4]!))).toBe(true);
    await page.getByTestId("ox-run").click();
    await expect.poll(async () => (await rows("ox-compare")).length, { timeout: 60_000 }).toBe(2);
    const out = (await rows("ox-compare")).find((r) => r[0] === "output")!;
    expect(Math.abs(Number(out[2]) - Number(out[3]))).toBeLessThan(0.1);
    await page.getByTestId("ox-mode-q8").click();
    await page.getByTestId("ox-quantize").click();
    await expect.poll(async () => int(await text("ox-after")), { timeout: 120_000 }).toBe(q8Bytes);
  });

  it("downloads the quantized file: silero_vad_v5.q8.onnx of the reported size", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("ox-download").click(),
    ]);
    expect(download.suggestedFilename()).toBe("silero_vad_v5.q8.onnx");
    const path = join(downloads, download.suggestedFilename());
    await download.saveAs(path);
    expect(statSync(path).size).toBe(q8Bytes);
  });

  it("made no request outside the local server and logged no console error", async () => {
    expect(await page.locator(".note.error").count()).toBe(0);
    expect(offsite).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
