/**
 * The dashboard in headless Chromium: builds it with Vite, serves dist/ from 127.0.0.1, opens two result
 * files through the file input, and checks that every chart drew, that the numbers on the page are the
 * file's, that a regression is marked, and that nothing logged an error. Saves screenshots to
 * .artifacts/screenshots/bench/ (ignored: a test run leaves the tree as it found it): the two uploaded
 * runs side by side, and bench-results/baseline.json section by section. `pnpm screenshots:update`
 * copies them into the committed e2e/screenshots/, so that a reader sees the dashboard without running it.
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = join(appDir, "..", "..");
const shots = join(repoRoot, ".artifacts", "screenshots", "bench");
const baselinePath = join(repoRoot, "bench-results", "baseline.json");

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

let outDir: string;
let profileDir: string;
let server: Server;
let base: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "quantkit-dashboard-"));
  profileDir = mkdtempSync(join(tmpdir(), "quantkit-chromium-"));
  process.env.BENCH_DASHBOARD_OUT = outDir;
  await build({ configFile: join(appDir, "vite.config.ts"), logLevel: "warn" });
  delete process.env.BENCH_DASHBOARD_OUT;

  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
    let path = join(outDir, rel);
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!path.startsWith(outDir) || !existsSync(path)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
    ],
    viewport: { width: 1280, height: 900 },
  });
  // No network: anything not served from 127.0.0.1 (or inline data:) is a bug, and is refused.
  await context.route("**/*", (route) => {
    const u = route.request().url();
    return u.startsWith(base) || u.startsWith("data:") ? route.continue() : route.abort();
  });
  page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning")
      problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()}`));
  await page.goto(base);
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const dir of [outDir, profileDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** How many canvases have at least `min` painted pixels (a chart that did not draw has none). */
async function paintedCanvases(min = 2000): Promise<{ id: string; painted: number }[]> {
  return page.evaluate((threshold) => {
    return [...document.querySelectorAll("canvas")].map((c) => {
      const ctx = (c as HTMLCanvasElement).getContext("2d")!;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      return { id: c.id, painted: painted >= threshold ? painted : 0 };
    });
  }, min);
}

interface Described {
  id: string;
  title: string;
  axes: string[];
  scales: Record<string, { type: string; title: string }>;
  note: string;
  legend: string[];
}

/**
 * No caption claims a log scale the chart lacks: an axis' title says "log" exactly when the axis is
 * logarithmic, and a note under a chart speaks of a log scale only when one of its axes is one.
 */
function honestAxes(charts: Described[]): string[] {
  const wrong: string[] = [];
  for (const c of charts) {
    for (const [k, sc] of Object.entries(c.scales)) {
      if (/\blog\b/.test(sc.title) !== (sc.type === "logarithmic"))
        wrong.push(`${c.id}: axis ${k} is ${sc.type}, titled "${sc.title}"`);
    }
    const anyLog = Object.values(c.scales).some((sc) => sc.type === "logarithmic");
    if (/log[- ]log/i.test(c.note)) wrong.push(`${c.id}: note claims log-log: "${c.note}"`);
    if (/\blog scale\b/.test(c.note) && !anyLog) wrong.push(`${c.id}: note claims a log scale: "${c.note}"`);
  }
  return wrong;
}

const cellText = (selector: string) =>
  page.$$eval(selector, (cells) => cells.map((c) => c.textContent?.trim() ?? ""));

describe("bench dashboard", () => {
  it.skipIf(!existsSync(baselinePath))(
    "opens the newest result file of bench-results/ by itself",
    async () => {
      await page.waitForFunction(() => document.body.dataset.rendered !== undefined);
      expect(await page.evaluate(() => document.body.dataset.rendered)).toBe("baseline.json");
      expect(await page.textContent("#load-status")).toContain("the newest result file in bench-results/");
    },
  );

  it("draws every chart of two uploaded runs and marks the regressed ratio", async () => {
    const baseRun = fixtureRun({ gemmRatio: 2, createdAt: "2026-11-25T12:00:00.000Z" });
    const current = fixtureRun({ gemmRatio: 1.5, failed: true });
    await page.setInputFiles("#file-input", [
      { name: "base.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(baseRun)) },
      { name: "current.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(current)) },
    ]);
    await page.waitForFunction(() => document.body.dataset.rendered === "current.json");
    // (the newest bundled file is loaded too: pick base.json by its name)
    await page.selectOption("#run-b", {
      label: await page.$$eval(
        "#run-b option",
        (os) => os.find((o) => o.textContent!.startsWith("base.json"))!.textContent!,
      ),
    });
    await page.waitForSelector(".compare-table");

    // The run summary at the top: the failed suite first, with its reason; the skipped one; the ok suite
    // whose notes report a failed check.
    expect(await page.textContent("#run-summary-sentence")).toBe(
      "6 suites: 4 ok, 1 failed (quantizers), 1 skipped (kernels-gpu). 1 ok suite reports a failed check (e2e).",
    );
    expect(await cellText("#run-summary-list li")).toEqual([
      "quantizers (quantize) failed: RangeError: quantize: scale must be > 0, got 0",
      "kernels-gpu (gpu.js) skipped: no gpu.js backend in this fixture",
      "e2e (MLP) ok, but its notes report a failed check: FAIL mnist: fp32 within 1.5 points of PyTorch 1.13 (0.975): fp32 0.963: -1.20 points",
    ]);
    expect(await page.$eval("#report > section", (e) => e.id)).toBe("run-summary");
    // Where the failed suite's charts would be: placeholders; its headline row says why it has none.
    expect(await cellText("#throughput [data-placeholder]")).toEqual([
      "kernels-gpu skipped: no gpu.js backend in this fixture. Its charts would be here.",
      "quantizers failed: RangeError: quantize: scale must be > 0, got 0. Its charts would be here.",
    ]);
    expect(await page.$$("#ratios [data-placeholder]")).toHaveLength(2); // quantizers and kernels-gpu
    mkdirSync(shots, { recursive: true });
    await page.locator("#run-summary").screenshot({ path: join(shots, "dashboard-summary.png") });

    // One curve (quantkit's float16.encode at 4 sizes); the series at 2 sizes as bars (per suite and
    // unit); the headline chart; ratio charts like for like and across backends; accuracy, calibrator
    // errors, and the side-by-side chart.
    const canvases = await paintedCanvases();
    expect(canvases.map((c) => c.id).sort()).toEqual(
      [
        "accuracy-chart",
        "bars-kernels-GMAC-s",
        "bars-numeric-Melem-s",
        "calibrator-chart",
        "compare-chart",
        "headline-chart-canvas",
        "ratios-kernels",
        "ratios-kernels-across",
        "ratios-numeric",
        "throughput-0",
      ].sort(),
    );
    for (const c of canvases) expect(c.painted, `${c.id} drew nothing`).toBeGreaterThan(0);

    // Every chart can be read by someone who did not write it: a title, axis titles with units in
    // parentheses, a legend entry per dataset.
    const described = (await page.evaluate(
      () => (window as unknown as { benchCharts: unknown }).benchCharts,
    )) as Described[];
    expect(described).toHaveLength(10);
    expect(honestAxes(described)).toEqual([]);
    for (const c of described) {
      expect(c.title, c.id).not.toBe("");
      expect(
        c.axes.some((a) => /\(.+\)/.test(a)),
        `${c.id} axes ${c.axes}`,
      ).toBe(true);
      expect(c.legend.length, c.id).toBeGreaterThan(0);
      for (const l of c.legend) expect(l, c.id).not.toBe("");
    }
    expect(described.find((c) => c.id === "accuracy-chart")).toMatchObject({
      id: "accuracy-chart",
      title: "MLP test accuracy against bits: PTQ (solid), QAT (dashed), fp32 (dotted)",
      axes: ["bits (weights and activations)", "test accuracy (%)"],
      legend: ["PTQ · minmax", "QAT · minmax", "fp32 model (96.30%)"],
    });
    // The curve: sizes on a log axis (it says so), throughput linear from 0 (the values are close).
    expect(described.find((c) => c.id === "throughput-0")).toMatchObject({
      title: "numeric: float16.encode: throughput against size (higher is better)",
      axes: ["problem size (elements), log scale", "throughput (Melem/s)"],
      scales: {
        x: { type: "logarithmic", title: "problem size (elements), log scale" },
        y: { type: "linear", title: "throughput (Melem/s)" },
      },
      legend: ["quantkit · js"],
    });
    // The ratio bars start at 1 (same speed), not at the axis' minimum.
    const bases = await page.evaluate(
      () => (window as unknown as { benchChartBases: unknown }).benchChartBases,
    );
    expect(bases).toMatchObject({
      "ratios-kernels": [1],
      "ratios-numeric": [1],
      "headline-chart-canvas": [1],
    });
    // The headline chart: int8/fp32 on js, quantkit/onnxruntime-node; onnxruntime-web said to be missing.
    expect(described.find((c) => c.id === "headline-chart-canvas")!.title).toBe(
      "int8 against fp32 per backend, and quantkit against onnxruntime (GEMM, > 1: the first named is faster)",
    );
    expect(await cellText("#headline-chart-missing li")).toEqual([
      "onnxruntime-web: not measured in this run (no gemm/int8-vs-ort-web/… ratio)",
    ]);

    // The headline table shows the file's numbers, formatted.
    const headline = await cellText("#headline-table tbody td");
    const rows: Record<string, string> = {};
    for (let i = 0; i + 2 < headline.length; i += 3) rows[headline[i]!] = headline[i + 1]!;
    expect(rows).toMatchObject({
      "float16 encode, quantkit / @petamoriken/float16, 1M": "2.5×",
      "int8 / fp32 GEMM speed, js, 256x256x256": "1.5×",
      "quantkit int8 GEMM (js) / onnxruntime MatMulInteger speed, 256x256x256": "0.1×",
      "fp32 model accuracy": "96.30%",
      "PTQ accuracy at 8 bits (minmax)": "96.20%",
      "PTQ accuracy at 4 bits (minmax)": "87.10%",
      "QAT accuracy at 8 bits (minmax)": "95.80%",
      "QAT accuracy at 4 bits (minmax)": "93.00%",
    });

    // Accuracy table: one row per method and calibrator, columns 8..2 bits.
    expect(await cellText("#accuracy-table tbody tr:nth-child(2) td")).toEqual([
      "QAT · minmax",
      "95.80%",
      "95.70%",
      "93.00%",
      "85.00%",
      "41.00%",
    ]);

    // The skipped suite is listed with its reason.
    const suites = await cellText("#suites-table tbody tr:nth-child(4) td");
    expect(suites[0]).toBe("kernels-gpu");
    expect(suites[2]).toBe("skipped");
    expect(suites[5]).toContain("no gpu.js backend in this fixture");

    // Exactness: the fixture's onnxruntime differs from the reference at 256^3: summed, listed first, red.
    expect(await cellText("#exactness-summary tr.inexact td")).toEqual([
      "kernels",
      "onnxruntime-node MatMulInteger (ort-cpu): 1,200 of 69,632 outputs differ on this CPU, 1 of 2 shapes (by up to 30,000)",
    ]);
    expect(await cellText("#exactness-table tr.inexact td")).toEqual([
      "kernels",
      "onnxruntime-node MatMulInteger",
      "ort-cpu",
      "256x256x256",
      "1,200 of 65,536 outputs differ from the reference (by up to 30,000)",
    ]);
    expect(await page.$$("#exactness-table tbody tr")).toHaveLength(4);
    mkdirSync(shots, { recursive: true });
    await page.locator("#exactness").screenshot({ path: join(shots, "dashboard-exactness.png") });

    // Side by side, grouped by suite, at the threshold the runs' own noise gives (their ratios spread
    // ±10%: 20%): the GEMM int8/fp32 ratio fell from 2 to 1.5 (-25%), beyond both runs' ranges.
    expect(await page.inputValue("#threshold")).toBe("20");
    expect(await page.textContent("#compare-summary")).toContain("20%, the runs' measured noise");
    expect(await page.$$eval(".compare-table", (ts) => ts.map((t) => t.getAttribute("data-suite")))).toEqual([
      "numeric",
      "kernels",
    ]);
    const regressed = await cellText(".compare-table tr.regressed td");
    expect(regressed).toEqual([
      "int8 / fp32 GEMM speed, js, 256x256x256",
      "2",
      "1.5",
      "-25.0%",
      "▼ regressed",
    ]);
    expect(await page.$$(".compare-table tbody tr")).toHaveLength(4);
    // A typed threshold wins: above 25% clears the mark, 10% brings it back.
    await page.fill("#threshold", "30");
    await page.dispatchEvent("#threshold", "change");
    expect(await page.$$(".compare-table tr.regressed")).toHaveLength(0);
    await page.fill("#threshold", "10");
    await page.dispatchEvent("#threshold", "change");
    expect(await page.$$(".compare-table tr.regressed")).toHaveLength(1);

    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "dashboard-compare.png"), fullPage: true });
    expect(problems).toEqual([]);
  });

  it("refuses a file that is not a result file, naming the problem", async () => {
    const bad = { ...fixtureRun(), schemaVersion: 99 };
    await page.setInputFiles("#file-input", [
      { name: "bad.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) },
    ]);
    await page.waitForFunction(
      () => document.querySelector("#load-status")?.textContent === "0 of 1 file(s) loaded",
    );
    expect(await page.textContent("#errors")).toContain("bad.json is not a valid quantkit-bench-result file");
    expect(await page.textContent("#errors")).toContain("schemaVersion 99 is not supported");
    expect(problems).toEqual([]);
  });

  it.skipIf(!existsSync(baselinePath))(
    "draws bench-results/baseline.json, bundled at build time",
    async () => {
      await page.goto(base);
      await page.click('#bundled button[data-file="baseline.json"]');
      await page.waitForFunction(() => document.body.dataset.rendered === "baseline.json");
      const canvases = await paintedCanvases();
      expect(canvases.length).toBeGreaterThan(0);
      for (const c of canvases) expect(c.painted, `${c.id} drew nothing`).toBeGreaterThan(0);
      const described = (await page.evaluate(
        () => (window as unknown as { benchCharts: unknown }).benchCharts,
      )) as Described[];
      expect(described).toHaveLength(canvases.length);
      expect(honestAxes(described)).toEqual([]);
      for (const c of described) {
        expect(c.title, c.id).not.toBe("");
        expect(
          c.axes.some((a) => /\(.+\)/.test(a)),
          `${c.id} axes ${c.axes}`,
        ).toBe(true);
        expect(c.legend.filter((l) => l === "")).toEqual([]);
      }
      // One picture per section: a whole page of a real run is too tall to read in one image.
      mkdirSync(shots, { recursive: true });
      rmSync(join(shots, "dashboard-baseline.png"), { force: true });
      const sections = [
        "run-summary",
        "run-info",
        "headlines",
        "headline-chart",
        "throughput",
        "throughput-bars",
        "gpu-stages",
        "ratios",
        "accuracy",
        "calibrators",
      ];
      let saved = 0;
      for (const [i, id] of sections.entries()) {
        const section = page.locator(`#${id}`);
        if ((await section.count()) === 0) continue;
        await section.screenshot({ path: join(shots, `baseline-${i + 1}-${id}.png`) });
        saved++;
      }
      expect(saved).toBeGreaterThan(2);
      expect(problems).toEqual([]);
    },
  );
});
