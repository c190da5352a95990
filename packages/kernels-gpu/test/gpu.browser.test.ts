/**
 * The conformance cases on WebGL2, WebGL and WebGPU in Debian's Chromium (SwiftShader: no GPU
 * here), driven by playwright-core. The package and the cases are bundled (and minified, as an app
 * would ship them) with esbuild, served from 127.0.0.1, and each run reports the backend gpu.js
 * actually used: a silent fallback fails the test. Run with
 * `npx vitest run --config vitest.browser.config.ts packages/kernels-gpu`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserRun } from "./browser/entry";

const here = dirname(fileURLToPath(import.meta.url));
// SwiftShader backs WebGL2 through ANGLE and, with --enable-unsafe-webgpu, a WebGPU adapter.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--enable-unsafe-webgpu",
];

let server: Server;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let url: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [join(here, "browser/entry.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    conditions: ["@quantkit/source"],
    write: false,
    logLevel: "silent",
  });
  const js = bundle.outputFiles[0]!.text;
  const html =
    '<!doctype html><meta charset="utf-8"><title>kernels-gpu</title><script type="module" src="/bundle.js"></script>';
  server = createServer((req, res) => {
    if (req.url === "/bundle.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(js);
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  userDataDir = mkdtempSync(join(tmpdir(), "kernels-gpu-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => "runConformance" in globalThis);
});

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

function run(backend: string, useAsync: boolean): Promise<BrowserRun> {
  return page.evaluate(
    ([b, a]) =>
      (
        globalThis as unknown as { runConformance(b: string, a: boolean): Promise<BrowserRun> }
      ).runConformance(b, a),
    [backend, useAsync] as const,
  );
}

function expectAllExact(r: BrowserRun, backend: string): void {
  expect(r.backend).toBe(backend);
  expect(r.results.length).toBeGreaterThan(20);
  for (const c of r.results) {
    expect({
      name: c.name,
      error: c.error,
      backend: c.backend,
      mismatches: c.mismatches,
      first: c.first,
    }).toEqual({
      name: c.name,
      error: undefined,
      backend,
      mismatches: 0,
      first: [],
    });
  }
}

describe("conformance in Chromium", () => {
  it("WebGL2: every case bit-exact, on webgl2", async () => {
    expectAllExact(await run("webgl2", false), "webgl2");
  });

  it("WebGL (1): every case bit-exact, on webgl", async () => {
    expectAllExact(await run("webgl", false), "webgl");
  });

  it("WebGPU: an adapter answers, every case bit-exact through the *Async methods, sync calls refused", async () => {
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return gpu ? (await gpu.requestAdapter()) !== null : false;
    });
    expect(adapter).toBe(true);
    const r = await run("webgpu", true);
    expectAllExact(r, "webgpu");
    expect(r.syncError).toMatch(/webgpu has no synchronous readback/);
  });
});
