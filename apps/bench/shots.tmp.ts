import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join } from "node:path";
import { chromium } from "playwright-core";
import { build } from "vite";

process.env.BENCH_DASHBOARD_OUT = "/tmp/dash";
await build({ configFile: "vite.config.ts", logLevel: "warn" });
const server = createServer((req, res) => {
  let p = join("/tmp/dash", new URL(req.url!, "http://x").pathname);
  if (existsSync(p) && statSync(p).isDirectory()) p = join(p, "index.html");
  if (!existsSync(p)) return void res.writeHead(404).end();
  res.writeHead(200, {
    "content-type":
      { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" }[extname(p)] ??
      "application/octet-stream",
  });
  createReadStream(p).pipe(res);
}).listen(4999, "127.0.0.1");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on("console", (m) => console.log("console", m.type(), m.text()));
await page.goto("http://127.0.0.1:4999/");
await page.click('#bundled button[data-file="baseline.json"]');
await page.waitForFunction(() => document.body.dataset.rendered === "baseline.json");
for (const id of process.argv.slice(2)) {
  const el = await page.$(`#${id}`);
  if (el) await el.screenshot({ path: `/tmp/shot-${id}.png` });
  else console.log("no", id);
}
const h = await page.evaluate(() => document.body.scrollHeight);
console.log("height", h);
await browser.close();
server.close();
