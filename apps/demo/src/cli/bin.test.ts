import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "node_modules", ".bin", "quantkit");

/** Runs the installed bin as a user would (no pnpm in between), piped. */
function quantkit(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.FORCE_COLOR; // piped: no colour, unless forced
    execFile(bin, args, { env }, (error, out, err) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

describe("the installed quantkit bin (pnpm install links it into node_modules/.bin)", () => {
  it("is there, from the root package's dependency on @quantkit/demo", () => {
    expect(existsSync(bin)).toBe(true);
  });

  it("prints only the command's own output, and passes its exit code on (2 for a usage error)", async () => {
    const ok = await quantkit("explain", "0.15625", "--formats", "float32");
    expect(ok).toEqual({
      code: 0,
      out: "0.15625 (float32) = 0 01111100 01000000000000000000000 = (+1) x 2^(124-127) x 1.25 = +0.15625 (exact)\n",
      err: "",
    });
    const bad = await quantkit("run", "--bogus");
    expect(bad.code).toBe(2);
    expect(bad.out).toBe("");
    expect(bad.err).toBe("error: unknown option '--bogus'\n(run with --help for the options)\n");
  }, 30_000);
});
