/**
 * One page of the production build in Chromium, for a browser test file: `useDemoPage()` builds the
 * app (vite's API), serves dist/ from a local static server, launches Debian's chromium (browser.ts)
 * with every request that leaves 127.0.0.1 aborted and recorded in `offsite`, and the page's console
 * errors and uncaught exceptions recorded in `consoleErrors`. The drivers below act on that page:
 * `page` is bound when the file's tests start (a live binding: read it inside a test, not before).
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll } from "vitest";
import { type Browser, launchChromium } from "./browser";
import { type StaticServer, serveStatic } from "./staticServer";

export const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the tests' screenshots go: ignored; `pnpm screenshots:update demo` copies them into e2e/screenshots/. */
export const shots = join(appDir, "..", "..", ".artifacts", "screenshots", "demo");

export let server: StaticServer;
export let page: Page;
export const consoleErrors: string[] = [];
export const offsite: string[] = [];
let browser: Browser;

/** Registers the file's beforeAll (build, serve, launch, open the page) and afterAll (close both). */
export function useDemoPage(viewport: { width: number; height: number }): void {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await build({
      configFile: join(appDir, "vite.config.ts"),
      root: appDir,
      logLevel: "warn",
      mode: "production",
    });
    server = await serveStatic(join(appDir, "dist"));
    browser = await launchChromium(viewport);
    await browser.context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith("data:") || url.startsWith("blob:"))
        return route.continue();
      offsite.push(url);
      return route.abort();
    });
    page = await browser.context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** The text of the element with this data-testid. */
export async function text(id: string): Promise<string> {
  return ((await page.getByTestId(id).first().textContent()) ?? "").trim();
}

/** Opens a section through the sidebar and waits for it to render. */
export async function open(id: string): Promise<void> {
  if (!page.url().startsWith(server.url)) await page.goto(server.url);
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`section-${id}`).waitFor({ state: "visible", timeout: 30_000 });
}

/** Fills the input with this data-testid. */
export async function fill(id: string, value: string): Promise<void> {
  await page.getByTestId(id).fill(value);
}

/** Saves the whole page, scrolled to the top, as `<prefix><nn>-<id>.png` in {@link shots}. */
export async function screenshot(n: number, id: string, prefix = ""): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0)); // sticky header and sidebar at the top of the capture
  await page.waitForTimeout(150); // let charts draw their last update
  await page.screenshot({
    path: join(shots, `${prefix}${String(n).padStart(2, "0")}-${id}.png`),
    fullPage: true,
  });
}
