/**
 * The child process that runs one suite (forked by runner.ts). One process per suite keeps the
 * measurements apart (a fresh heap, no JIT state from another suite) and lets the parent stop a suite
 * at once on Ctrl-C, even inside a long synchronous loop.
 *
 * argv: <suite id> <JSON { mode, method, repoRoot }>. Messages to the parent: progress, then one result.
 */
import { type Method, type Mode, type Suite, SuiteContext } from "./context";
import { suiteEntry } from "./registry";
import type { SuiteResult } from "./schema";

export type ChildMessage =
  | { type: "progress"; fraction: number; label: string }
  | { type: "result"; result: SuiteResult };

const send = (m: ChildMessage) => process.send?.(m);

async function main() {
  const [id, json] = process.argv.slice(2);
  const config = JSON.parse(json ?? "{}") as {
    mode: Mode;
    method: Method;
    repoRoot: string;
    moduleUrl?: string;
  };
  const entry = config.moduleUrl
    ? {
        id: id ?? "",
        title: id ?? "",
        package: "",
        load: async () => ((await import(config.moduleUrl!)) as { suite: Suite }).suite,
      }
    : suiteEntry(id ?? "");
  const controller = new AbortController();
  process.on("disconnect", () => controller.abort(new Error("parent went away")));
  const ctx = new SuiteContext(
    config.mode,
    config.method,
    config.repoRoot,
    controller.signal,
    (fraction, label) => send({ type: "progress", fraction, label }),
  );
  const t0 = performance.now();
  let meta = { id: entry.id, title: entry.title, package: entry.package };
  let result: SuiteResult;
  try {
    const suite = await entry.load();
    meta = { id: suite.id, title: suite.title, package: suite.package };
    await suite.run(ctx);
    result = ctx.result(meta, performance.now() - t0);
  } catch (err) {
    const skipped = err instanceof Error && err.name === "SuiteSkip";
    const reason = err instanceof Error ? (skipped ? err.message : (err.stack ?? err.message)) : String(err);
    result = {
      ...ctx.result(meta, performance.now() - t0),
      status: skipped ? "skipped" : "failed",
      reason,
    };
    // A failed suite keeps what it measured before the failure; a skipped one records none.
    if (skipped) Object.assign(result, { timings: [], ratios: [], metrics: [], backends: [], exactness: [] });
  }
  send({ type: "result", result });
  process.disconnect?.();
}

await main();
